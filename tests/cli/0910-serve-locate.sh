# Where to place a service over the API: a placement recorded from the CLI is shown to anyone by
# GET /api/locate (sites with lon/lat and name, a sentence per site in the request's language,
# the areas not served named), never with a withheld count; POST /api/runs/locate runs a new one
# for analysts only (401 anonymous, 403 public account or without the CSRF token); the atlas has
# the placement page in French.
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --parent-field prov_code --level municipality
expect_exit 0
# Marcetelli (057036) gets a small count of pension recipients: withheld from public outputs
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == "057036" && $4 == 2021 {
    $c["pension_income_n"] = 5 } { print }' OFS=, "$DATA/lazio_irpef_income.csv" >"$T/irpef.csv"
sol import data "$T/irpef.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators pension_income_n \
    --min-cell 10
expect_exit 0
sol areas
awk -F, 'BEGIN { print "id,name,lon,lat" } NR > 1 { print $1 ",Comune di " $2 "," $5 "," $6 }' \
    "$T/out" >"$T/sites.csv"
sol locate mclp --indicator pension_income_n --period 2021 --level municipality \
    --sites "$T/sites.csv" --max-distance 10 --p 5 --keep 060038 --record --json
expect_exit 0
RUN=$(jq .run_id "$T/out")
jq -e '[.areas[].code] | index("057036") | not' "$T/out" >/dev/null || fail "withheld area in the run"
# the atlas, in French: the placement page
sol --lang fr report --out "$T/atlas.html"; expect_exit 0
grep -q 'Où implanter un service' "$T/atlas.html" || fail "no placement page in the atlas"
grep -q 'dessert' "$T/atlas.html" || fail "no sentence per site in the atlas"
grep -q 'Non desservis, les plus grands besoins' "$T/atlas.html" || fail "the areas not served are not named"
grep -q 'Avec 5 lieux' "$T/atlas.html" || fail "the curve in words"
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
get /api/locate; expect_code 200
jq -e --argjson r "$RUN" '.run == $r and (.sites | length) == 5 and .model == "mclp"' "$T/out" \
    >/dev/null || fail "the latest placement"
jq -e '[.sites[] | (.lon | type) == "number" and (.lat | type) == "number" and (.name | startswith("Comune di"))
    and (.sentence | test("serves .* in [0-9]+ areas? within 10 km"))] | all' "$T/out" >/dev/null \
    || fail "sites with lon/lat, name and sentence"
jq -e '(.uncovered | length) > 0 and ([.uncovered[] | (.name | length) > 0] | all)' "$T/out" \
    >/dev/null || fail "the areas not served, named"
jq -e '.demand.areas_left_out >= 1 and ([.areas[].code, .uncovered[].code] | index("057036") | not)' \
    "$T/out" >/dev/null || fail "a withheld count in the public reply"
jq -e '(.curve.points | length) == 5 and (.need | length) > 0' "$T/out" >/dev/null \
    || fail "curve and need"
get /api/locate -H 'Accept-Language: fr'; expect_code 200
jq -e '[.sites[].sentence | test("dessert .* dans [0-9]+ territoires? à moins de 10 km")] | all' \
    "$T/out" >/dev/null || fail "the sentences in French"
get /api/locate -H 'Accept-Language: it'; expect_code 200
jq -e '[.sites[].sentence | test(" serve .* entro 10 km")] | all' "$T/out" >/dev/null \
    || fail "the sentences in Italian"
# a new placement: analysts only, with the CSRF token
BODY='{"model":"mclp","indicator":"pension_income_n","period":"2021","level":"municipality","sites":{"level":"municipality"},"max_distance":12,"p":3}'
J=(-H 'Content-Type: application/json')
get /api/runs/locate -X POST "${J[@]}" -d "$BODY"; expect_code 401
curl -s -o "$T/pub.json" -c "$T/pub.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-1"}' "$URL/api/login"
PC=$(jq -r .csrf "$T/pub.json")
get /api/runs/locate -X POST "${J[@]}" -b "$T/pub.jar" -H "X-CSRF-Token: $PC" -d "$BODY"
expect_code 403
curl -s -o "$T/ana.json" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
AC=$(jq -r .csrf "$T/ana.json")
get /api/runs/locate -X POST "${J[@]}" -b "$T/ana.jar" -d "$BODY"; expect_code 403
expect_out 'CSRF'
get /api/runs/locate -X POST "${J[@]}" -b "$T/ana.jar" -H "X-CSRF-Token: $AC" \
    -d '{"model":"nearest","indicator":"pension_income_n","level":"municipality"}'
expect_code 400; expect_out 'lscp, mclp'
get /api/runs/locate -X POST "${J[@]}" -b "$T/ana.jar" -H "X-CSRF-Token: $AC" \
    -H 'Accept-Language: fr' -d "$BODY"
expect_code 201
jq -e '.run_id > 0 and .chosen == 3 and ([.sites[].sentence | test("dessert")] | all)' "$T/out" \
    >/dev/null || fail "the new placement"
NEW=$(jq .run_id "$T/out")
# the sites of an earlier placement again (the centroids of the same level)
get /api/runs/locate -X POST "${J[@]}" -b "$T/ana.jar" -H "X-CSRF-Token: $AC" \
    -d "{\"model\":\"lscp\",\"indicator\":\"pension_income_n\",\"level\":\"municipality\",\"sites\":{\"run\":$NEW},\"max_distance\":25}"
expect_code 201
LAST=$(jq .run_id "$T/out")
# a placement made from the dashboard is a draft: the public keeps the published one until the
# analyst publishes it
get /api/locate; expect_code 200
jq -e --argjson r "$LAST" '.run != $r' "$T/out" >/dev/null || fail "a draft placement is public"
get /api/publish -X POST "${J[@]}" -b "$T/ana.jar" -H "X-CSRF-Token: $AC" \
    -d "{\"kind\":\"run\",\"id\":$LAST}"
expect_code 200
get /api/locate; expect_code 200
jq -e --argjson r "$LAST" '.run == $r and .model == "lscp"' "$T/out" >/dev/null \
    || fail "the latest placement is the new one"
stop_server
sol audit list
expect_out 'run.locate'
# the latest placement (LSCP) serves every area
sol --lang fr report --out "$T/atlas2.html"; expect_exit 0
grep -q 'Tous les territoires sont desservis' "$T/atlas2.html" || fail "the LSCP placement in the atlas"
