# GET /api/forecasts?indicator=CODE: the latest forecast run of that indicator per area, the same
# numbers as `solidata forecast` wrote; null run when there is none; errors for bad queries.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
sol forecast --indicator 04BEC006P --horizon 2 --out "$T/fc.csv"
expect_exit 0
serve
get "/api/forecasts?indicator=04BEC006P"; expect_code 200
jq -r '.areas | to_entries[] | .key as $a | .value.forecast[] |
    [$a + "/" + .period, .mean, .lo80, .hi80, .lo95, .hi95] | map(tostring) | join(",")' "$T/out" |
    sed '1i key,mean,lo80,hi80,lo95,hi95' >"$T/api.csv"
awk -F, 'NR == 1 { print "key,mean,lo80,hi80,lo95,hi95"; next } { print $1 "/" $2 "," $3 "," $4 "," $5 "," $6 "," $7 }' \
    "$T/fc.csv" >"$T/want.csv"
[ "$(wc -l <"$T/want.csv")" -ge 30 ] || fail "too few forecasts: $(wc -l <"$T/want.csv")"
for c in 2 3 4 5 6; do
    n=$(close_cols "$T/api.csv" $c "$T/want.csv" $c 1e-12) || fail "column $c: $n"
    [ "$n" = "$(($(wc -l <"$T/want.csv") - 1))" ] || fail "column $c: compared $n"
done
jq -e '.run > 0 and .indicator == "04BEC006P" and (.areas["12"].model | startswith("ETS("))' "$T/out" >/dev/null ||
    fail "run, indicator or model missing"
get "/api/forecasts?indicator=01SAL001"; expect_code 200; expect_out '"run":null'
get "/api/forecasts?indicator=NOPE"; expect_code 404
get "/api/forecasts"; expect_code 400
stop_server
