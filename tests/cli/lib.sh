# lib.sh - helpers for CLI end-to-end tests. Each test runs with `set -e` in a fresh folder $T.
set -eu
DATA=$TOP/examples/data
DB=$T/s.db
# PostgreSQL mode (SOLIDATA_TEST_BACKEND=postgresql, make check-cli-pg): run.sh gives each test
# its own database, made from the cluster's solidata_template, in $TEST_PG_DB
is_pg() { [ "${SOLIDATA_TEST_BACKEND:-sqlite}" = postgresql ]; }
if is_pg; then DB=$TEST_PG_DB; fi
# store_sql SQL: run SQL on the test store (sqlite3 or psql; rows as "a|b", one a line)
store_sql() {
    if is_pg; then PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; else sqlite3 "$DB" "$1"; fi
}
# store_csv SQL: the same as CSV rows without a header
store_csv() {
    if is_pg; then PGOPTIONS='-c client_min_messages=warning' psql -X -q -t --csv -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; else sqlite3 -csv "$DB" "$1"; fi
}
# sqlite_only: the rest of the test is about the SQLite file (modes, WAL, its header): on
# PostgreSQL the test ends here and run.sh counts it as skipped
sqlite_only() { if is_pg; then : >"$T/.skipped"; exit 0; fi; }
# pg_only: the test needs a PostgreSQL server (run.sh's, in PostgreSQL mode): skipped on SQLite.
# PG_ADMIN is the cluster's "postgres" database as the role solidata (CREATEDB)
pg_only() { if ! is_pg; then : >"$T/.skipped"; exit 0; fi; }
# pg_admin SQL: run SQL as the role solidata on the cluster's "postgres" database
pg_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG_ADMIN" -c "$1"; }

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
# (on PostgreSQL a pg_dump without the sequences' positions, which a rolled-back insert moves,
# and without the random key of its \restrict lines)
# (on PostgreSQL the dump's lines sorted: a row rewritten with the same values moves, and
# pg_dump writes rows in their physical order)
store_digest() {
    if is_pg; then
        pg_dump --no-owner --no-privileges -d "$DB" |
            grep -v -e '^SELECT pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' |
            LC_ALL=C sort | sha256sum | cut -d' ' -f1
    else
        sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1
    fi
}
snapshot() { SNAP=$(store_digest); }
# pg_drop_db NAME: drop a database of the cluster. Plainly first: PostgreSQL waits for sessions
# that are ending and stops an autovacuum worker in it itself, while WITH (FORCE) would have the
# role solidata terminate that worker, which only a superuser may; FORCE then for a session left
# open (a server a test did not stop).
pg_drop_db() {
    pg_admin "DROP DATABASE IF EXISTS $1" 2>/dev/null || pg_admin "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
}
# store_save NAME / store_restore NAME: keep a copy of the whole store, and put it back (a file
# copy; on PostgreSQL a database made from it as a template)
store_save() {
    if is_pg; then
        pg_drop_db "${DB##*/}_$1" && pg_admin "CREATE DATABASE ${DB##*/}_$1 TEMPLATE ${DB##*/}"
        at_exit "pg_drop_db ${DB##*/}_$1"
    else
        cp "$DB" "$T/saved-$1.db"
    fi
}
store_restore() {
    if is_pg; then
        pg_drop_db "${DB##*/}" && pg_admin "CREATE DATABASE ${DB##*/} TEMPLATE ${DB##*/}_$1"
    else
        cp "$T/saved-$1.db" "$DB"
    fi
}
# the SQL that lifts the audit log's append-only guard, for the tests that tamper with it
if is_pg; then
    unguard_audit="DROP TRIGGER audit_append_only_u ON audit; DROP TRIGGER audit_append_only_d ON audit;"
else
    unguard_audit="DROP TRIGGER audit_append_only_u; DROP TRIGGER audit_append_only_d;"
fi
# store_version [N]: the store's schema version (PRAGMA user_version; solidata_meta on
# PostgreSQL), or set it to N
store_version() {
    if is_pg; then
        store_sql "${1:+UPDATE solidata_meta SET user_version = $1; }SELECT user_version FROM solidata_meta"
    else
        store_sql "${1:+PRAGMA user_version = $1; }PRAGMA user_version"
    fi
}
# drop_gis: remove what GIS clients open (schema 12), for the tests that drop columns to turn a
# store back into an older schema (a view that reads a column keeps it from being dropped)
drop_gis() {
    if is_pg; then store_sql "DROP SCHEMA IF EXISTS gis CASCADE" >/dev/null
    else store_sql "DROP VIEW IF EXISTS gis_area_value"; fi
}
# drop the tables that migrations 10 and later added (connectors, audiences, campaigns), for the
# tests that turn a store back into an older schema to check its upgrade
drop_after_9() {
    if is_pg; then
        store_sql "SELECT 'DROP TABLE ' || tablename || ' CASCADE;' FROM pg_tables WHERE schemaname =
            current_schema() AND tablename NOT IN ('account', 'area', 'audit', 'audit_chain', 'indicator',
            'indicator_link', 'observation', 'observation_archive', 'period', 'privacy_dataset',
            'privacy_release', 'run', 'setting', 'source', 'solidata_meta', 'spatial_ref_sys')" |
            PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null
        return
    fi
    sqlite3 "$DB" "SELECT 'DROP TABLE ' || name || ';' FROM sqlite_master WHERE type = 'table' AND name
        NOT IN ('account', 'area', 'audit', 'audit_chain', 'indicator', 'indicator_link', 'observation',
        'observation_archive', 'period', 'privacy_dataset', 'privacy_release', 'run', 'setting', 'source')
        AND name NOT LIKE 'sqlite_%'" | sqlite3 "$DB"
}
expect_unchanged() { [ "$(store_digest)" = "$SNAP" ] || fail "the store changed"; }
# a store holding the 20 Italian regions
with_regions() {
    sol import areas "$DATA/italy_regions.geojson" --code-field reg_code --name-field reg_name --level region
    expect_exit 0
}
# serve: start `solidata serve` on a free loopback port; URL is set; stop_server ends it
# at_exit CMD: run CMD when the test ends, with every other command registered (servers, replay
# servers): one trap that accumulates, so that starting a second server never forgets the first
AT_EXIT=""
at_exit() { AT_EXIT="{ $1; } || true; $AT_EXIT"; trap 'at_exit_rc=$?; eval "$AT_EXIT"; exit $at_exit_rc' EXIT; }
serve() {
    "$SOLIDATA" --db "$DB" serve --port 0 --port-file "$T/port" "$@" 2>"$T/serve.log" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
    [ -s "$T/port" ] || fail "the server did not start: $(cat "$T/serve.log")"
    URL="http://127.0.0.1:$(cat "$T/port")"
    at_exit "kill $SERVER_PID 2>/dev/null"
}
stop_server() {
    kill "$SERVER_PID"; wait "$SERVER_PID" || fail "the server did not stop cleanly"; SERVER_PID=""
}
# get PATH [curl args]: body -> $T/out, status -> code
get() { local p=$1; shift; code=$(curl -s --path-as-is -o "$T/out" -w '%{http_code}' "$@" "$URL$p"); }
expect_code() { [ "$code" = "$1" ] || fail "HTTP $code, expected $1"; }
# grid_geojson FILE N: an N x N grid of 0.1-degree squares with codes c<row><col> (field "code")
grid_geojson() {
    awk -v n="$2" 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[\n";
        for (r = 0; r < n; r++) for (c = 0; c < n; c++) {
            x = 12 + c / 10; y = 41 + r / 10; X = x + 0.1; Y = y + 0.1;
            printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"c%d%d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}\n",
                (r + c ? "," : ""), r, c, x, y, X, y, X, Y, x, Y, x, y }
        print "]}" }' >"$1"
}
# close_cols GOT GCOL WANT WCOL RTOL: rows joined on the first column (id); every value of column
# GCOL of CSV GOT within RTOL (relative) of column WCOL of CSV WANT; prints how many were compared,
# or "N differ" (and the first few on stderr).
close_cols() {
    awk -F, -v gc="$2" -v wc="$4" -v tol="$5" '
        FNR == 1 { next }
        FNR == NR { want[$1] = $wc; next }
        ($1 in want) { a = $gc + 0; b = want[$1] + 0; d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
                       n++; if (d > tol * (m + 1e-12)) { bad++; if (bad < 5) print "  " $1 ": got " $gc ", want " want[$1] > "/dev/stderr" } }
        END { if (bad) print bad " differ"; else print n + 0; exit bad > 0 }' "$3" "$1"
}
# The tests' commands publish new sources and runs at once, as every store did before drafts
# (schema 9), so that the tests written before drafts keep their meaning; the tests of drafts
# (1190-1229) unset it.
export SOLIDATA_PUBLISH_AUTO=on
