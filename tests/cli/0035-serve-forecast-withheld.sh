# A forecast extends observed values: for anyone but analysts, an area with a suppressed (small)
# count gets no forecast from /api/forecasts, and the reply says how many were withheld.
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[\n";
    for (i = 1; i <= 3; i++) { x = 12 + i / 10; X = x + 0.1;
        printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"A%d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,41],[%g,41],[%g,41.1],[%g,41.1],[%g,41]]]}}\n",
            (i > 1 ? "," : ""), i, x, X, X, x, x }
    print "]}" }' >"$T/areas.geojson"
awk 'BEGIN { print "code,year,requests"; for (y = 2014; y <= 2023; y++) {
    printf "A1,%d,%d\nA2,%d,%d\nA3,%d,%d\n", y, 40 + 3 * (y - 2014), y, 60 + (y % 3), y, (y == 2020 ? 6 : 30 + y % 4) } }' >"$T/req.csv"
sol import areas "$T/areas.geojson" --code-field code --level area; expect_exit 0
sol import data "$T/req.csv" --area-field code --period-field year --count-indicators requests; expect_exit 0
sol forecast --indicator requests --horizon 2 --out "$T/fc.csv"; expect_exit 0
grep -q '^A3,' "$T/fc.csv" || fail "no forecast of A3 in the analyst's own output"
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
get "/api/forecasts?indicator=requests"; expect_code 200
jq -e '.areas | has("A1") and has("A2") and (has("A3") | not)' "$T/out" >/dev/null || fail "A3 forecast shown to the public"
expect_out '"withheld":1'
curl -s -o /dev/null -c "$T/ana.jar" -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
get "/api/forecasts?indicator=requests" -b "$T/ana.jar"; expect_code 200
jq -e '.areas | has("A3")' "$T/out" >/dev/null || fail "the analyst does not see A3's forecast"
get "/api/forecasts?indicator=requests"; expect_code 200
jq -e '.areas | has("A3") | not' "$T/out" >/dev/null || fail "the cache handed the analyst's reply to the public"
stop_server
