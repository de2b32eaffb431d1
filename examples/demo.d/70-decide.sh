# 70-decide.sh - demo step: evaluate a change (difference-in-differences) and prioritise example
# options for a few Lazio municipalities, with the reasons.
echo
echo "== Evaluate a change: difference-in-differences on the Lazio municipalities (MEF IRPEF)"
echo "   ILLUSTRATION OF THE METHOD, NOT A CAUSAL CLAIM: no measure is being evaluated here. We ask"
echo "   whether the share of taxpayers declaring under 15,000 EUR changed differently between"
echo "   2018 and 2021 in the province of Frosinone (the 'treated' group) than elsewhere in Lazio."
awk -F, 'NR == 1 { print "istat_code,year,frosinone,y2021,pct_income_0_15k"; next }
         { print $1 "," $4 "," ($3 == "FR") "," ($4 == 2021) "," $30 }' \
    "$D/lazio_irpef_income.csv" >"$out/did_lazio.csv"
run evaluate did --data "$out/did_lazio.csv" --outcome pct_income_0_15k --treated frosinone \
    --post y2021 --unit-field istat_code --time-field year --se cluster --record \
    --json >"$out/did_lazio.json"
echo "   estimate, clustered se and event study: $out/did_lazio.json (read the pre-test line above:"
echo "   when the paths already differed before 2021, the estimate is not a measure of any effect)"
grep -E '"(estimate|se|p|n|n_clusters)":' "$out/did_lazio.json" | sed -n "1,5p" | sed 's/^/   /'

echo
echo "== Prioritise example options for four municipalities (costs are ILLUSTRATIVE, not quotes)"
echo "   need of each area = its 2021 share of taxpayers under 15,000 EUR (MEF IRPEF)"
awk -F, 'NR == 1 { print "area,need"; next }
         $4 == 2021 && ($1 == "060038" || $1 == "056019" || $1 == "060019" || $1 == "060074") {
             print $1 "," $30 }' "$D/lazio_irpef_income.csv" >"$out/need_2021.csv"
cat "$out/need_2021.csv" | sed 's/^/   /'
run prioritise --options "$D/lazio_options.csv" --need "$out/need_2021.csv" --budget 400000 \
    --area-min 060019=1 --weights family=0.3,education=0.2,social_ties=0.2,income=0.2,cost=0.1 \
    --record >"$out/prioritise.csv"
echo "   rankings and the allocation: $out/prioritise.csv (the reasons are printed above)"
echo "   With a budget of 40,000 the minimum for Cassino cannot be met:"
run prioritise --options "$D/lazio_options.csv" --budget 40000 --area-min 060019=1 \
    >/dev/null || true
