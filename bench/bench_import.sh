#!/bin/bash
# bench_import.sh SOLIDATA - import a long CSV of AREAS x INDICATORS x PERIODS observations
# (default 10,000 x 100 x 10 = 10,000,000) and compare with `sqlite3 .import` of the same file
# into a plain four-column table, in the same run, on the same disk.
set -euo pipefail
S=$1
A=${BENCH_AREAS:-10000}; I=${BENCH_INDICATORS:-100}; P=${BENCH_PERIODS:-10}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
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

"$S" --quiet --db "$W/s.db" import areas "$W/areas.geojson" --code-field code 2>/dev/null

t0=$(date +%s.%N)
"$S" --quiet --db "$W/s.db" import data "$W/obs.csv" --area-field area --period-field period >&2
t1=$(date +%s.%N)
sqlite3 "$W/plain.db" "CREATE TABLE obs (area TEXT, period TEXT, indicator TEXT, value REAL);"
t2=$(date +%s.%N)
sqlite3 "$W/plain.db" -cmd ".mode csv" ".import --skip 1 $W/obs.csv obs"
t3=$(date +%s.%N)
n=$(sqlite3 "$W/s.db" "SELECT count(*) FROM observation")
m=$(sqlite3 "$W/plain.db" "SELECT count(*) FROM obs")
[ "$n" = "$N" ] && [ "$m" = "$N" ] || { echo "row counts differ: $n / $m / $N"; exit 1; }
awk -v s="$(echo "$t1 - $t0" | bc)" -v q="$(echo "$t3 - $t2" | bc)" -v n="$N" 'BEGIN {
  printf "solidata import data: %.2f s, %.0f observations/s (typed, keyed, checked, catalogued)\n", s, n / s;
  printf "sqlite3 .import:      %.2f s, %.0f rows/s (text into a plain table, no key)\n", q, n / q;
  printf "ratio solidata / sqlite3 .import: %.2f (target <= 1.5; >= 1,000,000 obs/s)\n", s / q }'
