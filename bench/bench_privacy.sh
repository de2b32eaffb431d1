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
# peer in the same run: the script an analyst would write (Python's csv and hmac, same key, the
# id column replaced, the name column dropped)
if command -v python3 >/dev/null; then
    t0=$(date +%s.%N)
    python3 - "$W/k.key" "$W/m.csv" >"$W/py.csv" <<'PY'
import csv, hashlib, hmac, sys
key = bytes.fromhex(open(sys.argv[1]).read().strip())
with open(sys.argv[2], newline="") as f:
    r = csv.reader(f); w = csv.writer(sys.stdout, lineterminator="\n")
    h = next(r); w.writerow([h[0]] + h[2:])
    for row in r:
        w.writerow([hmac.new(key, row[0].encode(), hashlib.sha256).hexdigest()] + row[2:])
PY
    t1=$(date +%s.%N)
    rate "$(echo "$t1 - $t0" | bc)" "peer: Python csv + hmac (same key, same file):"
    cmp -s <(cut -d, -f1 "$W/py.csv" | tail -n +2) <(cut -d, -f1 "$W/p.csv" | tail -n +2) \
        || echo "  note: the pseudonyms differ (solidata normalises ids before hashing)"
fi

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
