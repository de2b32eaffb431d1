#!/bin/bash
# bench_privacy.sh SOLIDATA - pseudonymise N ids and tabulate an N-row file into a 10,000 x 10
# table with suppression (and once more with DP noise), reporting rows/s. N defaults to
# 1,000,000; BENCH_PRIVACY_ROWS=10000000 for the issue's 10M figure.
set -euo pipefail
S=$1
N=${BENCH_PRIVACY_ROWS:-1000000}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
echo "generating $N rows in $W ..." >&2
awk -v N="$N" 'BEGIN { print "id,name,area,band,income"; srand(12345);
  for (i = 0; i < N; i++) { a = int(rand() * rand() * 10000); b = int(rand() * 10);
    printf "ID%010d,Person %d,A%05d,%d,%d\n", i, i, a, b, int(rand() * 50000) } }' >"$W/m.csv"
ls -l "$W/m.csv" | awk '{printf "file: %.0f MB\n", $5 / 1048576}'
rate() { awk -v s="$1" -v n="$N" -v what="$2" 'BEGIN { printf "%-44s %6.2f s, %10.0f rows/s\n", what, s, n / s }'; }

"$S" keygen --out "$W/k.key" 2>/dev/null
t0=$(date +%s.%N)
"$S" --quiet pseudonymise --key-file "$W/k.key" --id-column id --drop name "$W/m.csv" >"$W/p.csv"
t1=$(date +%s.%N)
rate "$(echo "$t1 - $t0" | bc)" "pseudonymise (HMAC-SHA-256, drop 1 column):"
[ "$(wc -l <"$W/p.csv")" = $((N + 1)) ] || { echo "row count differs"; exit 1; }

t0=$(date +%s.%N)
"$S" --quiet tabulate --microdata "$W/p.csv" --rows area --cols band --min-cell 10 --out "$W/t.csv"
t1=$(date +%s.%N)
rate "$(echo "$t1 - $t0" | bc)" "tabulate 10,000 x 10, k = 10, suppression:"
sup=$(grep -c ',suppressed$' "$W/t.csv" || true)
echo "  $(($(wc -l <"$W/t.csv") - 1)) entries written, $sup suppressed"

t0=$(date +%s.%N)
"$S" --quiet --db "$W/s.db" tabulate --microdata "$W/p.csv" --rows area --cols band --min-cell 10 \
    --dp-epsilon 0.5 --dp-mechanism gaussian --categories-from-data --out "$W/t2.csv"
t1=$(date +%s.%N)
rate "$(echo "$t1 - $t0" | bc)" "tabulate + discrete Gaussian noise + ledger:"

# baseline in the same run: the same grouping by awk (no suppression, no checks)
t0=$(date +%s.%N)
awk -F, 'NR > 1 { c[$3 "," $4]++ } END { for (k in c) print k "," c[k] }' "$W/p.csv" >"$W/awk.csv"
t1=$(date +%s.%N)
rate "$(echo "$t1 - $t0" | bc)" "baseline: awk group-by count (same file):"
