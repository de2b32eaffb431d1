#!/bin/bash
# bench_pushdown.sh SOLIDATA - poverty rates with linearised SEs on N rows (default 1,000,000;
# BENCH_ROWS=10000000 for the issue's figure) held in PostgreSQL: `poverty --microdata-sql` on one
# server and on a table partitioned by area over two postgres_fdw shards, against, in the same run,
# the in-memory path on the same rows as CSV and a hand-written baseline that pulls the rows
# (psql \copy of the columns out, then solidata on that CSV). Best of BENCH_RUNS (default 3) for
# every program; wall and the client's CPU (user+sys; the servers' CPU is not in it), and the bytes
# that came back over the network. Needs scripts/pg-cluster (PostgreSQL 15).
set -euo pipefail
S=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
PGC="$here/../scripts/pg-cluster"
N=${BENCH_ROWS:-1000000}; RUNS=${BENCH_RUNS:-3}
W=$(mktemp -d /tmp/solidata-bench-pushdown.XXXXXX)
chmod 755 "$W"
trap 'for c in one s1 s2 co; do "$PGC" stop "$W/$c" >/dev/null 2>&1 || true; done; rm -rf "$W"' EXIT
cd /tmp
echo "generating $N persons in 20 areas, 4 strata each, 250 persons per PSU ..." >&2
awk -v N="$N" 'BEGIN { print "area,stratum,psu,w,inc"; s = 4242;
  for (i = 0; i < N; i++) { a = int(i * 20 / N); p = int(i / 250);
    s = (s * 1103515245 + 12345) % 2147483648; u1 = (s + 1) / 2147483649;
    s = (s * 1103515245 + 12345) % 2147483648; u2 = (s + 1) / 2147483649;
    z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
    printf "A%02d,A%02d-%d,P%07d,%.3f,%.2f\n", a, a, p % 4, p, 50 + 100 * u2, exp(9.6 + 0.6 * z + 0.01 * a) } }' >"$W/m.csv"
COLS='area text, stratum text, psu text, w float8, inc float8'
for c in one s1 s2 co; do "$PGC" start "$W/$c" >"$W/$c.url"; done
sq() { "$PGC" psql "$W/$1" -d solidata -c "$2" >/dev/null; }
port() { sed 's|.*@127.0.0.1:\([0-9]*\)/.*|\1|' "$W/$1.url"; }
cp "$W/m.csv" "$W/one/m.csv"; chmod 644 "$W/one/m.csv"
echo "loading into PostgreSQL (one server; two shards by area) ..." >&2
sq one "CREATE TABLE m ($COLS); COPY m FROM '$W/one/m.csv' (FORMAT csv, HEADER true); ALTER TABLE m OWNER TO solidata; ANALYZE m"
awk -F, 'NR == 1 || substr($1, 2) + 0 < 10' "$W/m.csv" >"$W/s1/m.csv"
awk -F, 'NR == 1 || substr($1, 2) + 0 >= 10' "$W/m.csv" >"$W/s2/m.csv"
for c in s1 s2; do chmod 644 "$W/$c/m.csv"
  sq $c "CREATE TABLE m ($COLS); COPY m FROM '$W/$c/m.csv' (FORMAT csv, HEADER true); ALTER TABLE m OWNER TO solidata; ANALYZE m"; done
west=$(seq -f "'A%02g'" 0 9 | paste -sd,); east=$(seq -f "'A%02g'" 10 19 | paste -sd,)
sq co "CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$(port s1)', dbname 'solidata', async_capable 'true');
  CREATE SERVER s2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$(port s2)', dbname 'solidata', async_capable 'true');
  CREATE USER MAPPING FOR solidata SERVER s1 OPTIONS (user 'solidata', password 'solidata');
  CREATE USER MAPPING FOR solidata SERVER s2 OPTIONS (user 'solidata', password 'solidata');
  CREATE TABLE m ($COLS) PARTITION BY LIST (area);
  CREATE FOREIGN TABLE m1 PARTITION OF m FOR VALUES IN ($west) SERVER s1 OPTIONS (table_name 'm');
  CREATE FOREIGN TABLE m2 PARTITION OF m FOR VALUES IN ($east) SERVER s2 OPTIONS (table_name 'm');
  ALTER TABLE m OWNER TO solidata; ALTER TABLE m1 OWNER TO solidata; ALTER TABLE m2 OWNER TO solidata"
ROLES=(--weight w --income inc --by area --strata stratum --psu psu)
# best of RUNS: "wall cpu" of a command (its stdout to $W/last.out)
best() {
  local b="" t
  for ((r = 0; r < RUNS; r++)); do
    /usr/bin/time -f "%e %U %S" -o "$W/t" "$@" >"$W/last.out" 2>"$W/last.err"
    t=$(tail -n 1 "$W/t" | awk '{ printf "%.3f %.3f", $1, $2 + $3 }')
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then b=$t; fi
  done
  echo "$b"
}
cat >"$W/pull.sh" <<PULL
#!/bin/bash
set -e
psql -X -q "$(cat "$W/one.url")" -c "\\copy (SELECT area, stratum, psu, w, inc FROM m) TO '$W/pulled.csv' CSV HEADER"
"$S" --quiet poverty --microdata "$W/pulled.csv" ${ROLES[*]}
PULL
chmod +x "$W/pull.sh"
mem=$(best "$S" --quiet poverty --microdata "$W/m.csv" "${ROLES[@]}"); cp "$W/last.out" "$W/mem.out"
one=$(best "$S" --quiet poverty --microdata-sql "$(cat "$W/one.url")?table=m" "${ROLES[@]}" --timing)
cp "$W/last.out" "$W/one.out"; bytes_one=$(sed -n 's/.*, \([0-9]*\) bytes received/\1/p' "$W/last.err")
two=$(best "$S" --quiet poverty --microdata-sql "$(cat "$W/co.url")?table=m" "${ROLES[@]}" --timing)
cp "$W/last.out" "$W/two.out"; bytes_two=$(sed -n 's/.*, \([0-9]*\) bytes received/\1/p' "$W/last.err")
base=$(best "$W/pull.sh")
bytes_pull=$(stat -c %s "$W/pulled.csv")
cut -d, -f1-6 "$W/mem.out" >"$W/a"; cut -d, -f1-6 "$W/one.out" >"$W/b"
awk -v n="$N" -v runs="$RUNS" -v mem="$mem" -v one="$one" -v two="$two" -v base="$base" \
  -v b1="$bytes_one" -v b2="$bytes_two" -v bp="$bytes_pull" 'BEGIN {
  split(mem, m, " "); split(one, o, " "); split(two, t, " "); split(base, p, " ");
  printf "poverty by 20 areas, strata and PSUs, linearised SEs, %d rows, best of %d (wall s / client CPU s):\n", n, runs;
  printf "  in memory, CSV file:                          %7.2f / %6.2f\n", m[1], m[2];
  printf "  --microdata-sql, one server:                  %7.2f / %6.2f   %10d bytes back\n", o[1], o[2], b1;
  printf "  --microdata-sql, two postgres_fdw shards:     %7.2f / %6.2f   %10d bytes back to the client\n", t[1], t[2], b2;
  printf "  baseline: psql \\copy the rows out + solidata: %7.2f / %6.2f   %10d bytes of rows\n", p[1], p[2], bp;
  printf "ratios (wall): one server / in memory %.2f; two shards / one server %.2f; one server / baseline %.2f\n", o[1] / m[1], t[1] / o[1], o[1] / p[1];
  printf "bytes: aggregates / rows pulled = %.5f\n", b1 / bp }'
# BENCH_STATEMENTS=1: one more run on the single server with every statement's duration logged,
# and the slowest printed (where the pushed-down time goes; docs/microdata-sql.md)
if [ "${BENCH_STATEMENTS:-0}" = 1 ]; then
  sq one "ALTER SYSTEM SET log_min_duration_statement = 0"
  sq one "SELECT pg_reload_conf()"
  n0=$(wc -l <"$W/one/server.log")
  "$S" --quiet poverty --microdata-sql "$(cat "$W/one.url")?table=m" "${ROLES[@]}" >/dev/null
  echo "the slowest statements of one run on one server (ms, the statement's start):"
  tail -n +$((n0 + 1)) "$W/one/server.log" | grep -ao "duration: [0-9.]* ms  execute <unnamed>: .\{0,90\}" |
    sort -t' ' -k2 -rn | head -n 8 | sed 's/^duration: /  /'
fi
