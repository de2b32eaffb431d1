# locate from the store: demand = pension recipients x the share of taxpayers under 15,000 EUR
# (percent, read from the indicator's unit), at the municipalities' centroids; the run recorded
# with its method card (the need, the distance, the forced site, p)
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --parent-field prov_code --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv"
expect_exit 0
sol areas
awk -F, 'BEGIN { print "id,name,lon,lat" } NR > 1 { print $1 ",Comune di " $2 "," $5 "," $6 }' \
    "$T/out" >"$T/sites.csv"
sol locate mclp --indicator pension_income_n --times pct_income_0_15k --period 2021 \
    --level municipality --sites "$T/sites.csv" --max-distance 10 --p 5 --keep 060038 --record --json
expect_exit 0; expect_err 'recorded as run'
jq -e '.run_id > 0 and .chosen == 5 and (.sites | length) == 5 and .demand.areas == 378' "$T/out" \
    >/dev/null || fail "result"
jq -e '[.sites[] | .lon > 11 and .lon < 14.1 and .lat > 40.7 and .lat < 43 and (.areas | length) == .areas_served] | all' \
    "$T/out" >/dev/null || fail "sites with lon/lat and their areas"
jq -e '[.sites[] | select(.id == "060038")][0].kept' "$T/out" >/dev/null || fail "kept site"
# Roma: 058091, pension recipients x share under 15k / 100
P=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == "058091" && $4 == 2021 {
    printf "%.17g\n", $c["pension_income_n"] * $c["pct_income_0_15k"] / 100 }' "$DATA/lazio_irpef_income.csv")
jq -e --argjson p "$P" '[.areas[] | select(.code == "058091")][0].demand - $p | fabs < 1e-6 * $p' \
    "$T/out" >/dev/null || fail "Roma's demand, want $P"
ID=$(jq .run_id "$T/out")
sol runs
expect_exit 0; expect_out 'locate'
sol card "$ID"
expect_exit 0; expect_out 'pension_income_n'; expect_out '060038'
# a factor that is not a share is refused unless its unit is said
sol locate mclp --indicator pension_income_n --times taxpayers --period 2021 \
    --sites "$T/sites.csv" --max-distance 10 --p 5
expect_exit 2; expect_err "taxpayers has the unit 'persons', not a share"
