# Short annual series (4 to 6 values) are forecast by a random walk with drift with wide (Student
# t) intervals, checked against tests/data/forecast_short (base R, rwf's closed forms); the
# output and the method card say which model and why; a series under 4 values is "too short to
# forecast", an error that records no run; longer series keep ETS (0711, 0710 unchanged).
R=$TOP/tests/data/forecast_short
sol forecast --data "$R/series.csv" --id-field id --period-field period --value-field value --horizon 3 --out "$T/f.csv"
expect_exit 0
expect_err "series 'six': 6 annual values, too few for exponential smoothing \(7 needed\): forecast by a random walk with drift"
expect_err "series 'five_gap' has 1 gap"
for col in 3 4 5 6 7; do
    awk -F, -v c=$col 'NR > 1 { print $1 "@" $2 "," $c }' "$T/f.csv" | sort >"$T/got"
    awk -F, -v c=$col 'NR > 1 { print $1 "@" $2 "," $c }' "$R/forecasts.csv" | sort >"$T/want"
    n=$(join -t, "$T/got" "$T/want" | awk -F, '{ d = $2 - $3; if (d < 0) d = -d; m = $3 < 0 ? -$3 : $3;
        if (d > 1e-10 * (m + 1)) { print "  " $0 > "/dev/stderr"; bad++ } n++ } END { print bad ? -1 : n }')
    [ "$n" = 12 ] || fail "column $col differs from R's reference"
done
sol forecast --data "$R/series.csv" --id-field id --period-field period --value-field value --horizon 1 --json
expect_exit 0; expect_out '"model": "RW\(drift\)"'
# store mode: six years of one association's own counts over three communes
with_regions
printf 'code,year,helped\n01,2019,120\n01,2020,131\n01,2021,128\n01,2022,140\n01,2023,152\n01,2024,149\n' >"$T/h.csv"
printf '02,2021,12\n02,2022,15\n02,2023,14\n02,2024,19\n03,2023,5\n03,2024,7\n' >>"$T/h.csv"
sol import data "$T/h.csv" --area-field code --period-field year
expect_exit 0
sol forecast --indicator helped --horizon 2
expect_exit 0; expect_err "time.forecast: run [0-9]+ recorded"
expect_err "series '01': 6 annual values, too few for exponential smoothing"
expect_err "skipped: .*series '03': too short to forecast: 2 values; a forecast needs at least 4"
expect_out '^01,2025,154.8'
id=$(grep -oE 'run [0-9]+ recorded' "$T/err" | grep -oE '[0-9]+')
store_sql "SELECT method_card FROM run WHERE id = $id" >"$T/card.json"
jq -e '.method.name == "random walk with drift (short annual series)" and
       .method.short_series_model.name == "RW(drift)" and .method.short_series_model.series == 2 and
       (.method.short_series_model.why | test("too short for exponential smoothing"))' "$T/card.json" >/dev/null \
    || fail "the card does not say the model and why: $(cat "$T/card.json")"
store_sql "SELECT result FROM run WHERE id = $id" | jq -e '.series | map(.model) == ["RW(drift)", "RW(drift)"]' >/dev/null \
    || fail "the result does not name the model per series"
# the dashboard's forecast layer reads it
serve
get "/api/forecasts?indicator=helped"; expect_code 200
expect_out '"01":\{"model":"RW\(drift\)","direction":"rising"'
stop_server
sol runs show "$id"
expect_exit 0; expect_out "random walk with drift"
sol --lang fr card "$id"
expect_exit 0; expect_out "marche aléatoire avec dérive"
# every series too short: an error, nothing recorded
printf 'code,year,small\n01,2023,5\n01,2024,7\n02,2022,3\n02,2023,4\n02,2024,6\n' >"$T/s.csv"
sol import data "$T/s.csv" --area-field code --period-field year
expect_exit 0
snapshot
sol forecast --indicator small --horizon 2
expect_exit 1; expect_err "no series of 'small' could be forecast; the first: series '01': too short to forecast: 2 values"
expect_unchanged
