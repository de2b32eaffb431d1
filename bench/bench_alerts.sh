#!/bin/bash
# bench_alerts.sh SOLIDATA - STL anomalies on SERIES monthly series of 10 years (default 2,000)
# against R's stats::stl on the same series in the same run; then alerts over a store of AREAS x
# 20 annual indicators x 10 years against `solidata trend` over the same indicators (the peer
# doing one of the three tests).
set -euo pipefail
S=$1
N=${BENCH_SERIES:-2000}; A=${BENCH_AREAS:-1000}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
awk -v N="$N" 'BEGIN { print "id,period,value"; s = 7;
  for (i = 0; i < N; i++) for (t = 0; t < 120; t++) { s = (s * 1103515245 + 12345) % 2147483648;
    printf "s%05d,%d-%02d,%.6f\n", i, 2010 + int(t / 12), t % 12 + 1, 100 + t / 10 + 5 * sin(6.283185 * t / 12) + s / 2147483648 } }' >"$W/m.csv"
t0=$(date +%s.%N)
"$S" --quiet anomalies --data "$W/m.csv" --id-field id --period-field period --value-field value --method stl --s-window 7 --robust --out "$W/a.csv"
t1=$(date +%s.%N)
Rscript -e "d <- read.csv('$W/m.csv'); t0 <- proc.time()[[3]];
  for (g in split(d\$value, d\$id)) invisible(stl(ts(g, frequency = 12), s.window = 7, robust = TRUE));
  cat(proc.time()[[3]] - t0, '\n')" >"$W/r.txt"
r=$(cat "$W/r.txt")
awk -v s="$(echo "$t1 - $t0" | bc)" -v r="$r" -v n="$N" 'BEGIN {
  printf "solidata anomalies --method stl (robust, with CSV in/out): %.2f s for %d series\n", s, n;
  printf "R stats::stl (robust, loop only, no I/O):                  %.2f s\n", r;
  printf "ratio solidata / R: %.2f\n", s / r }'
# alerts vs trend on a store
awk -v A="$A" 'BEGIN { s = 11; print "area,indicator,year,value";
  for (a = 0; a < A; a++) for (i = 0; i < 20; i++) for (y = 2015; y <= 2024; y++) { s = (s * 1103515245 + 12345) % 2147483648;
    printf "A%05d,I%02d,%d,%.4f\n", a, i, y, 50 + (a % 7 == 0 ? (y - 2015) : 0) + 3 * s / 2147483648 } }' >"$W/o.csv"
awk -v A="$A" 'BEGIN { print "code,label,polarity"; for (i = 0; i < 20; i++) printf "I%02d,Indicator %d,%s\n", i, i, (i % 2 ? "lower_better" : "higher_better") }' >"$W/meta.csv"
awk -v A="$A" 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
  for (a = 0; a < A; a++) { x = (a % 100) * 0.01; y = int(a / 100) * 0.01;
    printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"A%05d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
      (a ? "," : ""), a, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01, x, y }
  print "]}" }' >"$W/areas.geojson"
"$S" --quiet --db "$W/s.db" import areas "$W/areas.geojson" --code-field code 2>/dev/null
"$S" --quiet --db "$W/s.db" import data "$W/o.csv" --area-field area --period-field year --indicator-field indicator --indicator-meta "$W/meta.csv"
t0=$(date +%s.%N)
"$S" --quiet --db "$W/s.db" alerts --out "$W/al.csv"
t1=$(date +%s.%N)
for i in $(seq -w 0 19); do "$S" --quiet --db "$W/s.db" trend --indicator "I$i" --out "$W/t.csv"; done
t2=$(date +%s.%N)
awk -v a="$(echo "$t1 - $t0" | bc)" -v t="$(echo "$t2 - $t1" | bc)" -v n="$((A * 20))" 'BEGIN {
  printf "solidata alerts (3 tests per series, BH, sentences, run): %.2f s for %d series\n", a, n;
  printf "solidata trend over the same 20 indicators (one test):   %.2f s\n", t;
  printf "ratio alerts / trend: %.2f\n", a / t }'
