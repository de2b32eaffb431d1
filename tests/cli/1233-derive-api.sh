# POST /api/derive: an analyst (with the CSRF token) derives a rate and a coverage from the
# dashboard's route; anonymous visitors, public accounts and requests without the token are
# refused and change nothing; bad bodies are 400 naming the field, unknown indicators 404; the
# anonymous visitor then sees the rate with the small count's rate withheld.
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
printf 'code,year,pop\nR1,2023,100000\nR2,2023,60000\nP1,2023,2000\nP2,2023,30000\nP3,2023,26000\nP4,2023,42000\nP5,2023,40000\nP6,2023,20000\n' >"$T/pop.csv"
sol import data "$T/pop.csv" --area-field code --period-field year
expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
get /api/login -X POST "${J[@]}" -c "$T/ana.jar" -d '{"name":"ana","password":"analyst-pw-1"}'; expect_code 200
csrf=$(jq -r .csrf "$T/out")
get /api/login -X POST "${J[@]}" -c "$T/pub.jar" -d '{"name":"pub","password":"public-pw-1"}'; expect_code 200
pcsrf=$(jq -r .csrf "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
BODY='{"kind":"rate","numerator":"poor","denominator":"pop","per":1000,"as":"poor_per_1000"}'
snapshot
get /api/derive -X POST "${J[@]}" -d "$BODY"; expect_code 401
get /api/derive -X POST "${J[@]}" -b "$T/pub.jar" -H "X-CSRF-Token: $pcsrf" -d "$BODY"; expect_code 403
get /api/derive -X POST "${J[@]}" -b "$T/ana.jar" -d "$BODY"; expect_code 403; expect_out 'CSRF'
get /api/derive -X POST "${J[@]}" "${A[@]}" -d '{"kind":"mean"}'; expect_code 400; expect_out '\\"kind\\": \\"rate\\" or \\"coverage\\"'
get /api/derive -X POST "${J[@]}" "${A[@]}" -d '{"kind":"rate","numerator":"poor","denominator":"pop","per":0}'; expect_code 400
expect_out '"error":"\\"per\\": 0: expected a number of inhabitants above 0"'
get /api/derive -X POST "${J[@]}" "${A[@]}" -d '{"kind":"rate","numerator":"poor","denominator":"pop","per":"mille"}'; expect_code 400
get /api/derive -X POST "${J[@]}" "${A[@]}" -d '{"kind":"rate","numerator":"nope","denominator":"pop"}'; expect_code 404
expect_out "no indicator 'nope'"
get /api/derive -X POST "${J[@]}" "${A[@]}" -d 'not json'; expect_code 400
expect_unchanged
get /api/derive -X POST "${J[@]}" "${A[@]}" -d "$BODY"; expect_code 201
jq -e '.code == "poor_per_1000" and .kind == "rate" and .source == "derived:poor_per_1000" and .version == 1 and
    .written == 8 and .withheld >= 2 and (.run_id > 0) and .result.indicator == "poor_per_1000"' "$T/out" >/dev/null \
    || fail "reply: $(cat "$T/out")"
# the audit names the analyst
store_sql "SELECT who FROM audit WHERE action = 'derive.rate'" | grep -qx ana || fail "the audit does not name the analyst"
# a derived indicator made from the dashboard is a draft: the public sees it once published
get "/api/observations?indicator=poor_per_1000"; expect_code 404
get /api/publish -X POST "${J[@]}" "${A[@]}" -d '{"kind":"source","name":"derived:poor_per_1000"}'
expect_code 200
# the anonymous visitor: P1 (4 poor) and P6 (5) withheld, R1 published (100 / 100000 x 1000 = 1)
get "/api/observations?indicator=poor_per_1000"; expect_code 200
expect_out '"area":"P1","period":"2023","indicator":"poor_per_1000","value":null,"se":null,"flags":"suppressed"'
expect_out '"area":"P6","period":"2023","indicator":"poor_per_1000","value":null'
expect_out '"area":"R1","period":"2023","indicator":"poor_per_1000","value":1(\.0)?,'
grep -qE '"value":2(\.0)?,' "$T/out" && fail "P1's rate (4 / 2000 x 1000 = 2) leaks"
get "/api/map.svg?indicator=poor_per_1000"; expect_code 200
grep -q 'data-code="P1" data-value=""' "$T/out" || fail "P1 has a value on the public map"
get "/api/indicators"; expect_code 200; expect_out '"code":"poor_per_1000"'
# a coverage in the asker's language (notes in French)
get "/api/derive?lang=fr" -X POST "${J[@]}" "${A[@]}" -d '{"kind":"coverage","helped":"poor","need":"pop","label":"Part aidée"}'
expect_code 201; expect_out '"code":"poor_coverage"'
# again: version 2 replaces version 1
get /api/derive -X POST "${J[@]}" "${A[@]}" -d '{"kind":"rate","numerator":"poor","denominator":"pop","per":100,"as":"poor_per_1000"}'
expect_code 201; jq -e '.version == 2' "$T/out" >/dev/null || fail "not version 2: $(cat "$T/out")"
stop_server
