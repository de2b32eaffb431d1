# pgmicro_lib.sh - helpers for the --microdata-sql tests: throwaway PostgreSQL clusters (stopped
# when the test ends) and a column-by-column comparison of two JSON results.
#
# These tests read microdata from their own clusters and never open the store, so the store's
# backend changes nothing in them: they run once per 'make check', in the PostgreSQL pass (the
# sanitizer's, or make check-cli-pg), and count as skipped in the SQLite pass.
pg_only

# pg_start NAME: a cluster in /tmp (pg-cluster refuses folders the postgres user cannot reach);
# sets PG_DIR_<NAME> and PG_URL_<NAME>.
pg_start() {
    local dir="/tmp/sol-pgm-${T##*/}-$1" # $$ is the runner's, shared by tests run at once
    rm -rf "$dir"
    at_exit "$TOP/scripts/pg-cluster stop $dir >/dev/null 2>&1"
    local url
    url=$(cd /tmp && "$TOP/scripts/pg-cluster" start "$dir" 2>"$T/pg-$1.log") || fail "pg-cluster start: $(cat "$T/pg-$1.log")"
    eval "PG_DIR_$1=\$dir; PG_URL_$1=\$url"
}
# pg_sql NAME SQL...: run SQL as the cluster's superuser in database solidata
pg_sql() {
    local n=$1
    shift
    (cd /tmp && eval "\"\$TOP/scripts/pg-cluster\" psql \"\$PG_DIR_$n\" -d solidata" -c "\"\$*\"") >/dev/null
}
# pg_load NAME TABLE CSV "col type, ...": a table owned by role solidata, the CSV copied in
pg_load() {
    pg_sql "$1" "CREATE TABLE $2 ($4); ALTER TABLE $2 OWNER TO solidata"
    local dir
    eval "dir=\$PG_DIR_$1"
    cp "$3" "$dir/load.csv"
    chmod 644 "$dir/load.csv"
    pg_sql "$1" "COPY $2 FROM '$dir/load.csv' (FORMAT csv, HEADER true)"
}
# same_json A B [SKIP]: every number of A within 1e-12 relative of B's, every other value equal;
# SKIP a regular expression of the paths left out (".domains[9].gini")
same_json() {
    python3 - "$1" "$2" "${3:-^$}" <<'PY' || fail "results differ: $1 $2"
import json, re, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
skip = re.compile(sys.argv[3])
bad = []
def walk(x, y, path):
    if skip.search(path):
        return
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            bad.append((path, sorted(set(x) ^ set(y))))
        for k in set(x) & set(y):
            walk(x[k], y[k], path + "." + k)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (p, q) in enumerate(zip(x, y)):
            walk(p, q, "%s[%d]" % (path, i))
    elif type(x) in (int, float) and type(y) in (int, float):
        if abs(x - y) > 1e-12 * max(abs(x), abs(y)):
            bad.append((path, x, y))
    elif x != y:
        bad.append((path, x, y))
walk(a, b, "")
for m in bad[:20]:
    print("differs:", *m)
sys.exit(1 if bad else 0)
PY
}
# fed_agency NAME WHERE [K]: an agency: cluster NAME holding the eusilc rows WHERE (SQL) as table
# eusilc, set up by 'solidata microdata agency-sql' for role observatory (password obs-pw);
# sets FED_URL_<NAME>, the observatory's address. FED_EXTRA: more options of agency-sql
# (--indicator COL ...).
EUSILC_COLS='db030 text, hsize int, db040 text, rb030 int, age int, rb090 text, pl030 text,
    pb220a text, "eqSS" float8, "eqIncome" float8, db090 float8, rb050 float8'
fed_agency() {
    pg_start "$1"
    pg_load "$1" eusilc_all "$TOP/tests/data/poverty_eusilc/eusilc.csv" "$EUSILC_COLS"
    pg_sql "$1" "CREATE TABLE eusilc AS SELECT * FROM eusilc_all WHERE $2;
        ALTER TABLE eusilc OWNER TO solidata; DROP TABLE eusilc_all"
    "$TOP/build/solidata" microdata agency-sql --table eusilc --role observatory --weight rb050 \
        --income eqIncome --by db040 --strata db040 --k "${3:-10}" ${FED_EXTRA:-} \
        >"$T/agency-$1.sql" ||
        fail "agency-sql"
    local url
    eval "url=\$PG_URL_$1"
    psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$T/agency-$1.sql" >"$T/agency-$1.log" 2>&1 ||
        fail "the agency's setup: $(cat "$T/agency-$1.log")"
    pg_sql "$1" "ALTER ROLE observatory PASSWORD 'obs-pw'"
    eval "FED_URL_$1=\$(sed 's/solidata:solidata@/observatory:obs-pw@/' <<<\"\$url\")?agency=solidata_fed"
}
