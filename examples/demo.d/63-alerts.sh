# 63-alerts.sh - demo step: one ranked list of emerging needs over every BES series 2015-2024.
echo
echo "== Emerging needs, every indicator x region (trend, change, anomaly; Benjamini-Hochberg q <= 0.1)"
run --quiet alerts --lang it --out "$out/alerts.csv" 2>"$out/alerts.log" || { cat "$out/alerts.log" >&2; exit 1; }
"$S" --db "$db" --quiet alerts --json >"$out/alerts.json"
n=$(($(wc -l <"$out/alerts.csv") - 1))
w=$(awk -F, 'NR > 1 && $7 == "worsening"' "$out/alerts.csv" | wc -l)
echo "  $n alerts ($w worsening) from $(sed -n 's/.*"tests":\([0-9]*\).*/\1/p' "$out/alerts.json") tests since $(sed -n 's/^{"since":"\([^"]*\)".*/\1/p' "$out/alerts.json")"
echo "  the five strongest worsening needs (Italian sentences; en and fr in $out/alerts.json):"
awk -F, 'NR > 1 && $7 == "worsening"' "$out/alerts.csv" | sed -n "1,5p" | sed 's/^[^"]*"\(.*\)"$/    \1/'
echo "  files: $out/alerts.csv, $out/alerts.json (run recorded; GET /api/alerts serves the latest)"
