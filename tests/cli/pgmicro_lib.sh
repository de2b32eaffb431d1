# pgmicro_lib.sh - helpers for the --microdata-sql tests: throwaway PostgreSQL clusters (stopped
# when the test ends) and a column-by-column comparison of two JSON results.

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
# same_json A B: every number of A within 1e-12 relative of B's, every other value equal
same_json() {
    python3 - "$1" "$2" <<'PY' || fail "results differ: $1 $2"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = []
def walk(x, y, path):
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
