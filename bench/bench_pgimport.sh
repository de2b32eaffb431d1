#!/bin/bash
# bench_pgimport.sh SOLIDATA - import a long CSV of AREAS x INDICATORS x PERIODS observations
# (default 10,000 x 100 x 10 = 10,000,000) into a store on PostgreSQL/PostGIS, against
# `psql \copy` of the same file into a plain four-column table of the same server, in the same
# run (a throwaway cluster, scripts/pg-cluster). Best of BENCH_RUNS runs each (the same number for
# both): wall time, the client's CPU time (user+sys) and the server's (user+sys of the backends,
# read from the postmaster's reaped children). BENCH_AREAS=1000 BENCH_INDICATORS=100 gives 1M.
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
A=${BENCH_AREAS:-10000}; I=${BENCH_INDICATORS:-100}; P=${BENCH_PERIODS:-10}; R=${BENCH_RUNS:-1}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
C=/tmp/solidata-bench-pg.$$
trap '"$here/../scripts/pg-cluster" stop "$C"; rm -rf "$W"' EXIT
"$here/../scripts/pg-cluster" start "$C" >/dev/null
admin=$("$here/../scripts/pg-cluster" url "$C" postgres)
fresh() { psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE solidata_template" 2>/dev/null; "$here/../scripts/pg-cluster" url "$C" "$1"; }
N=$((A * I * P))
echo "generating $N observations ($A areas x $I indicators x $P periods) in $W ..." >&2
awk -v A="$A" 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
  for (a = 0; a < A; a++) { x = (a % 100) * 0.01; y = int(a / 100) * 0.01;
    printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"A%05d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
      (a ? "," : ""), a, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01, x, y }
  print "]}" }' >"$W/areas.geojson"
awk -v A="$A" -v I="$I" -v P="$P" 'BEGIN { print "area,period,indicator,value"; s = 12345;
  for (i = 0; i < I; i++) for (a = 0; a < A; a++) for (p = 0; p < P; p++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    printf "A%05d,%d,IND%03d,%.4f\n", a, 2015 + p, i, s / 21474836.48 } }' >"$W/obs.csv"
ls -l "$W/obs.csv" | awk '{printf "file: %.0f MB\n", $5 / 1048576}'

# the CPU seconds of the cluster's exited backends (fields cutime, cstime of the postmaster)
server_cpu() {
    local pm; pm=$(head -n 1 "$C/data/postmaster.pid")
    sleep 0.3 # the backend of the command just ended is reaped
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($14 + $15) / hz }' "/proc/$pm/stat"
}
# timed FILE CMD...: append "wall client-cpu server-cpu" of one run of CMD to FILE
timed() {
    local f=$1 s0; shift; s0=$(server_cpu)
    /usr/bin/time -f "%e %U %S" -o "$W/t" "$@" >&2
    awk -v s0="$s0" -v s1="$(server_cpu)" '{ print $1, $2 + $3, s1 - s0 }' "$W/t" >>"$f"
}
for r in $(seq 1 "$R"); do
    db=$(fresh "s$r")
    "$S" --quiet --db "$db" import areas "$W/areas.geojson" --code-field code 2>/dev/null
    timed "$W/sol" "$S" --quiet --db "$db" import data "$W/obs.csv" --area-field area --period-field period
    n=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM observation")
    plain=$(fresh "p$r")
    psql -X -q -d "$plain" -c "CREATE TABLE obs (area TEXT, period TEXT, indicator TEXT, value DOUBLE PRECISION)"
    timed "$W/copy" psql -X -q -d "$plain" -c "\\copy obs FROM '$W/obs.csv' WITH (FORMAT csv, HEADER true)"
    m=$(psql -X -A -t -d "$plain" -c "SELECT count(*) FROM obs")
    [ "$n" = "$N" ] && [ "$m" = "$N" ] || { echo "row counts differ: $n / $m / $N"; exit 1; }
done
best() { sort -n "$1" | head -n 1; }
read -r sw sc ss <<<"$(best "$W/sol")"
read -r qw qc qs <<<"$(best "$W/copy")"
awk -v sw="$sw" -v sc="$sc" -v ss="$ss" -v qw="$qw" -v qc="$qc" -v qs="$qs" -v n="$N" -v r="$R" \
    -v load="$(cut -d ' ' -f 1-3 /proc/loadavg)" 'BEGIN {
  printf "best of %d run(s) each, PostgreSQL 15 + PostGIS on a loopback throwaway cluster; load average at the end %s\n", r, load;
  printf "solidata import data (PostgreSQL): %.2f s wall, CPU %.2f s client + %.2f s server, %.0f observations/s (typed, keyed, catalogued)\n", sw, sc, ss, n / sw;
  printf "psql \\copy (plain table):          %.2f s wall, CPU %.2f s client + %.2f s server, %.0f rows/s (no key, no check)\n", qw, qc, qs, n / qw;
  printf "ratio solidata / psql \\copy: %.2f wall, %.2f CPU (aim <= 1.5 wall)\n", sw / qw, (sc + ss) / (qc + qs) }'
