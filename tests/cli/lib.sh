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
