# lib.sh - helpers for CLI end-to-end tests. Each test runs with `set -e` in a fresh folder $T.
set -eu
DATA=$TOP/examples/data
DB=$T/s.db

# sol ARGS... : run solidata on the test store; stdout -> $T/out, stderr -> $T/err, status -> rc
sol() {
    set +e
    "$SOLIDATA" --db "$DB" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
}
fail() { echo "FAILED: $*"; echo "--- stdout"; head -c 2000 "$T/out"; echo "--- stderr"; head -c 2000 "$T/err"; exit 1; }
expect_exit() { [ "$rc" = "$1" ] || fail "exit $rc, expected $1"; }
expect_err() { grep -qE -- "$1" "$T/err" || fail "stderr does not match: $1"; }
expect_out() { grep -qE -- "$1" "$T/out" || fail "stdout does not match: $1"; }
expect_lines() { local n; n=$(wc -l <"$T/out"); [ "$n" = "$1" ] || fail "stdout has $n lines, expected $1"; }
# the whole store (schema, rows and catalog) as one digest
store_digest() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
snapshot() { SNAP=$(store_digest); }
expect_unchanged() { [ "$(store_digest)" = "$SNAP" ] || fail "the store changed"; }
# a store holding the 20 Italian regions
with_regions() {
    sol import areas "$DATA/italy_regions.geojson" --code-field reg_code --name-field reg_name --level region
    expect_exit 0
}
# serve: start `solidata serve` on a free loopback port; URL is set; stop_server ends it
serve() {
    "$SOLIDATA" --db "$DB" serve --port 0 --port-file "$T/port" "$@" 2>"$T/serve.log" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
    [ -s "$T/port" ] || fail "the server did not start: $(cat "$T/serve.log")"
    URL="http://127.0.0.1:$(cat "$T/port")"
    trap 'kill $SERVER_PID 2>/dev/null' EXIT
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || fail "the server did not stop cleanly"; trap - EXIT; }
# get PATH [curl args]: body -> $T/out, status -> code
get() { local p=$1; shift; code=$(curl -s --path-as-is -o "$T/out" -w '%{http_code}' "$@" "$URL$p"); }
expect_code() { [ "$code" = "$1" ] || fail "HTTP $code, expected $1"; }
