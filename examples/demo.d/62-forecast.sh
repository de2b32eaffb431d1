# 62-forecast.sh - demo step: ETS forecasts three years past the end of the BES regional series
# (annual, 2015-2023 or 2024), automatic model choice by AICc as R's forecast::ets, with 80% and
# 95% intervals.
echo
echo "== Forecasts, three years ahead, every region (ETS, automatic choice by AICc)"
for ind in 04BEC006P 01SAL001; do
    # one run recorded per indicator: the JSON, and the CSV (id,period,mean,lo80,hi80,lo95,hi95)
    # written from it
    run --quiet forecast --indicator "$ind" --horizon 3 --json --out "$out/forecast_$ind.json" \
        2>"$out/forecast_$ind.log" || { cat "$out/forecast_$ind.log" >&2; exit 1; }
    jq -r '"id,period,mean,lo80,hi80,lo95,hi95", (.series[] | .id as $id | .forecast[] |
        [$id, .period, .mean, .lo80, .hi80, .lo95, .hi95] | map(tostring) | join(","))' \
        "$out/forecast_$ind.json" >"$out/forecast_$ind.csv"
    models=$(grep -o '"model": "ETS([^"]*"' "$out/forecast_$ind.json" | sed 's/"model": "//; s/"$//' |
        sort | uniq -c | sort -rn | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
    printf '  %-10s %2d regions; models chosen: %s\n' "$ind" \
        "$(grep -c '"model": "ETS' "$out/forecast_$ind.json")" "$models"
done
echo "  low pension income (04BEC006P, % of pensioners), last forecast year, widest 95% intervals:"
awk -F, 'NR > 1 { last[$1] = $0 } END { for (k in last) print last[k] }' "$out/forecast_04BEC006P.csv" |
    awk -F, '{ printf "%s,%s,%s,%s,%s,%.17g\n", $1, $2, $3, $6, $7, $7 - $6 }' |
    sort -t, -k6,6gr | sed -n "1,3p" |
    awk -F, '{ printf "    region %s, %s: %.1f (95%% interval %.1f to %.1f)\n", $1, $2, $3, $4, $5 }'
echo "  files: $out/forecast_*.csv, $out/forecast_*.json (runs recorded: 'solidata runs --kind time.forecast')"
