# a forecast's direction follows the model and the path, not a fixed wording: a series without a
# trend "stays about" its level (flat), a falling one continues to fall; recorded with the run and
# served by GET /api/forecasts for the dashboard's sentence.
awk 'BEGIN { srand(11); print "id,period,value";
    for (y = 2005; y <= 2024; y++) {
        print "flat," y "," 50 + (rand() - 0.5) * 2;
        print "falling," y "," 100 - 3 * (y - 2005) + (rand() - 0.5);
        print "rising," y "," 20 + 2 * (y - 2005) + (rand() - 0.5) } }' >"$T/s.csv"
sol forecast --data "$T/s.csv" --id-field id --period-field period --value-field value --horizon 3 --json --out "$T/f.json"
expect_exit 0
[ "$(jq -r '.series[] | .id + "=" + .direction' "$T/f.json" | sort | tr '\n' ' ')" = "falling=falling flat=flat rising=rising " ] ||
    fail "directions: $(jq -c '[.series[] | {id, model, direction}]' "$T/f.json")"
# store mode: the run records each area's direction and the API serves it
with_regions
{
    echo "code,label,polarity"
    echo "pov,Povertà,lower_better"
} >"$T/meta.csv"
awk -F, 'NR > 1 { a = $1 == "flat" ? "01" : $1 == "falling" ? "02" : "03"; print a ",pov," $2 "," $3 }' "$T/s.csv" |
    sed '1i area,indicator,year,value' >"$T/d.csv"
sol import data "$T/d.csv" --area-field area --period-field year --indicator-field indicator --indicator-meta "$T/meta.csv"
expect_exit 0
sol forecast --indicator pov --horizon 3
expect_exit 0
serve
get "/api/forecasts?indicator=pov"; expect_code 200
jq -e '.areas["01"].direction == "flat" and .areas["02"].direction == "falling" and .areas["03"].direction == "rising"' "$T/out" >/dev/null ||
    fail "served directions: $(jq -c '.areas | map_values({model, direction})' "$T/out")"
stop_server
