# The analysis layers for the public: an area whose mapped count is withheld (a small count) gets
# no hot-spot cluster and no index score from /api/layers or the report; analysts see them all.
grid_geojson "$T/grid.geojson" 4
awk 'BEGIN { print "code,year,users,rate"; for (r = 0; r < 4; r++) for (c = 0; c < 4; c++)
    printf "c%d%d,2023,%d,%g\n", r, c, (r == 1 && c == 2 ? 6 : 20 + 11 * r + 7 * c), 0.1 + (r * 4 + c) % 5 / 10 }' >"$T/u.csv"
sol import areas "$T/grid.geojson" --code-field code --level cell; expect_exit 0
sol import data "$T/u.csv" --area-field code --period-field year --count-indicators users; expect_exit 0
sol spatial lisa --indicator users --period 2023 --out "$T/lisa.csv"; expect_exit 0
grep -q '^c12,6,' "$T/lisa.csv" || fail "the analyst's own LISA lacks c12"
printf '{"indicators": [{"code": "users", "polarity": "-"}, {"code": "rate", "polarity": "-"}], "normalisation": "minmax", "periods": ["2023"]}\n' >"$T/spec.json"
sol index --spec "$T/spec.json" --out "$T/index.csv"; expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
get /api/layers; expect_code 200
jq -e '(.hotspots.areas | has("c12") | not) and (.hotspots.areas | length) == 15 and .hotspots.withheld == 1' \
    "$T/out" >/dev/null || fail "the public sees the withheld area's cluster: $(head -c 300 "$T/out")"
jq -e '(.index.areas["2023"] | has("c12") | not) and (.index.areas["2023"] | length) == 15 and .index.withheld == 1' \
    "$T/out" >/dev/null || fail "the public sees the withheld area's index score"
jq -e '.index.withheld_areas == ["c12"] and .hotspots.withheld_areas == ["c12"]' "$T/out" >/dev/null \
    || fail "the layers do not name the withheld area"
curl -s -o /dev/null -c "$T/ana.jar" -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
get /api/layers -b "$T/ana.jar"; expect_code 200
jq -e '(.hotspots.areas | has("c12")) and (.index.areas["2023"] | has("c12")) and (has("withheld") | not)' \
    "$T/out" >/dev/null || fail "the analyst does not see every area"
get /api/layers; expect_code 200
jq -e '.hotspots.areas | has("c12") | not' "$T/out" >/dev/null || fail "the cache handed the analyst's reply to the public"
stop_server
# the printed report is public: the withheld area has no score, cluster or value there either
sol report --out "$T/r.html" --area c12; expect_exit 0
[ "$(grep -c 'data-code="c12"' "$T/r.html")" = 2 ] || fail "expected c12 on the index and hot-spot maps"
[ "$(grep -c '<title>c12: suppressed (small count)' "$T/r.html")" = 2 ] || fail "the report maps do not say c12 is withheld"
grep -q 'data-code="c12" data-value="[0-9]' "$T/r.html" && fail "a report map gives c12's value"
grep -q '<title>c12: [0-9]' "$T/r.html" && fail "a report map's tooltip gives c12's value"
grep -qE '<td>c12</td>' "$T/r.html" && fail "a report table lists c12"
sol report --out "$T/all.html"; expect_exit 0
[ "$(grep -c 'data-value="[0-9]' "$T/all.html")" -ge 20 ] || fail "the report maps should hold the other areas' values"
true
