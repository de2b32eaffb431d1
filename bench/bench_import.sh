#!/bin/bash
# bench_import.sh SOLIDATA - import a long CSV of AREAS x INDICATORS x PERIODS observations
# (default 10,000 x 100 x 10 = 10,000,000) and compare with `sqlite3 .import` of the same file
# into a plain four-column table, in the same run, on the same disk. Each is run BENCH_RUNS times
# (default 3), alternately, into a fresh store; the best wall and the best CPU time of each are
# kept. solidata reads with one thread and writes with another when OpenMP gives it two.
set -euo pipefail
S=$1
A=${BENCH_AREAS:-10000}; I=${BENCH_INDICATORS:-100}; P=${BENCH_PERIODS:-10}
R=${BENCH_RUNS:-3}
W=$(mktemp -d "${BENCH_DIR:-/var/tmp}/solidata-bench.XXXXXX")
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

"$S" --quiet --db "$W/areas.db" import areas "$W/areas.geojson" --code-field code 2>/dev/null

# Both timed whole, wall and CPU (user + sys) beside it, so that a loaded machine shows.
timed() { # timed COMMAND... : prints "wall cpu"
    local w u s
    { read -r w u s; } < <({ TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$W/err.txt"; } 2>&1) ||
        { cat "$W/err.txt" >&2; exit 1; }
    awk -v w="$w" -v u="$u" -v s="$s" 'BEGIN { printf "%s %.2f\n", w, u + s }'
}
cat "$W/obs.csv" >/dev/null # both read it from the page cache
load=$(cut -d' ' -f1-3 /proc/loadavg)
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
s_wall= s_cpu= q_wall= q_cpu=
for r in $(seq "$R"); do
    rm -f "$W"/s.db* "$W"/plain.db*
    cp "$W/areas.db" "$W/s.db"
    read -r w c < <(timed "$S" --quiet --db "$W/s.db" import data "$W/obs.csv" \
        --area-field area --period-field period)
    s_wall=$(best "$s_wall" "$w"); s_cpu=$(best "$s_cpu" "$c")
    sqlite3 "$W/plain.db" "CREATE TABLE obs (area TEXT, period TEXT, indicator TEXT, value REAL);"
    read -r w c < <(timed sqlite3 "$W/plain.db" -cmd ".mode csv" ".import --skip 1 $W/obs.csv obs")
    q_wall=$(best "$q_wall" "$w"); q_cpu=$(best "$q_cpu" "$c")
done
n=$(sqlite3 "$W/s.db" "SELECT count(*) FROM observation")
m=$(sqlite3 "$W/plain.db" "SELECT count(*) FROM obs")
[ "$n" = "$N" ] && [ "$m" = "$N" ] || { echo "row counts differ: $n / $m / $N"; exit 1; }
echo "best of $R runs each; load average before: $load, after: $(cut -d' ' -f1-3 /proc/loadavg); OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}, $(nproc) cores"
awk -v s="$s_wall" -v sc="$s_cpu" -v q="$q_wall" -v qc="$q_cpu" -v n="$N" 'BEGIN {
  printf "solidata import data: %.2f s (CPU %.2f s), %.0f observations/s wall, %.0f per CPU second (typed, keyed, checked, catalogued)\n", s, sc, n / s, n / sc;
  printf "sqlite3 .import:      %.2f s (CPU %.2f s), %.0f rows/s wall, %.0f per CPU second (text into a plain table, no key)\n", q, qc, n / q, n / qc;
  printf "speed-up over sqlite3 .import: %.2fx wall, %.2fx CPU (aim >= 1.5x; >= 1,000,000 obs/s)\n", q / s, qc / sc }'
