# 60-time.sh - demo step: trends and change points over the BES regional series 2015-2024.
echo
echo "== Trends and change points, 2015-2024, every region (Mann-Kendall, Sen, Pettitt)"
for ind in 04BEC006P 01SAL001 03LAV002-N22; do
    run --quiet trend --indicator "$ind" --out "$out/trend_$ind.csv" 2>"$out/trend_$ind.log" || {
        cat "$out/trend_$ind.log" >&2; exit 1; }
    run --quiet changepoints --indicator "$ind" --method pettitt --out "$out/changepoints_$ind.csv" \
        2>>"$out/trend_$ind.log"
    up=$(awk -F, 'NR > 1 && $6 != "" && $6 < 0.05 && $8 > 0' "$out/trend_$ind.csv" | wc -l)
    down=$(awk -F, 'NR > 1 && $6 != "" && $6 < 0.05 && $8 < 0' "$out/trend_$ind.csv" | wc -l)
    all=$(($(wc -l <"$out/trend_$ind.csv") - 1))
    printf '  %-14s %2d regions: %2d rising, %2d falling (Mann-Kendall p < 0.05)\n' \
        "$ind" "$all" "$up" "$down"
done
echo "  strongest falls in low pension income (04BEC006P, % of pensioners; Sen's slope per year):"
sort -t, -k8,8g "$out/trend_04BEC006P.csv" | grep -v '^id,' | sed -n "1,3p" |
    awk -F, '{printf "    region %s: %+.2f points a year (95%% CI %+.2f to %+.2f), p = %.2g\n", $1, $8, $9, $10, $6}'
echo "  files: $out/trend_*.csv, $out/changepoints_*.csv (runs recorded: 'solidata runs')"
