# Analyses started from the dashboard (analysts only, CSRF): hot spots of the indicator on
# screen, a forecast of its series (a series too short to forecast is said so and recorded as
# nothing), a composite index whose weights, set by a person, are recorded with who and when.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0"
printf 'code,one_year\n01,1\n02,2\n03,3\n' >"$T/one.csv"
sol import data "$T/one.csv" --area-field code --period 2023
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
get /api/runs/index -X POST "${J[@]}" -d '{}'; expect_code 401
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf" "${J[@]}")
runs() { store_sql "SELECT count(*) FROM run"; }
# hot spots of the indicator on screen
get /api/runs/lisa -X POST "${A[@]}" -d '{"indicator":"04BEC006P","period":"2021"}'; expect_code 201
expect_out '"kind":"spatial.lisa"'; expect_out '"period":"2021"'
# a forecast of its series
get /api/runs/forecast -X POST "${A[@]}" -d '{"indicator":"04BEC006P","horizon":2}'; expect_code 201
expect_out '"kind":"time.forecast"'
# one value per area: too short to forecast, said so, nothing recorded
n=$(runs)
get /api/runs/forecast -X POST "${A[@]}" -d '{"indicator":"one_year"}'; expect_code 422
expect_out '"too_short":true'; expect_out '"longest":1,"fewest":4'; expect_out 'too short to forecast'
[ "$(runs)" = "$n" ] || fail "a forecast of nothing was recorded"
# a composite index with weights 3 and 1, set by ana today
get /api/runs/index -X POST "${A[@]}" -d '{"indicators":[{"code":"04BEC006P","weight":3,"polarity":"lower_better"},{"code":"01SAL001","weight":1}]}'
expect_code 201; expect_out '"weights_set_by":"ana"'
id=$(sed 's/.*"run_id":\([0-9]*\).*/\1/' "$T/out")
card=$(store_sql "SELECT method_card FROM run WHERE id = $id")
echo "$card" | grep -q '"set_by":"ana"' || fail "the card does not say who set the weights: $card"
echo "$card" | grep -q "\"set_on\":\"$(date -u +%Y-%m-%d)\"" || fail "the card does not say when"
echo "$card" | grep -Eq '"indicator_weights":\{"04BEC006P":0\.75,"01SAL001":0\.25\}' || fail "weights not 3:1: $card"
store_sql "SELECT action FROM audit" | grep -q '^workspace.run$' || fail "no audit row"
# refused: one indicator, a missing weight
get /api/runs/index -X POST "${A[@]}" -d '{"indicators":[{"code":"04BEC006P","weight":1}]}'; expect_code 400
get /api/runs/index -X POST "${A[@]}" -d '{"indicators":[{"code":"04BEC006P"},{"code":"01SAL001","weight":1}]}'; expect_code 400
get /api/runs/lisa -X POST "${A[@]}" -d '{}'; expect_code 400
get /api/runs/lisa -X POST "${A[@]}" -d '{"indicator":"NOPE"}'; expect_code 404
