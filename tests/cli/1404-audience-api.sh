# The audiences' API: an anonymous visitor reads only published cards (in the request's
# language), an analyst defines (JSON rule; 400 with the message for a bad rule or a cell below
# k, the store unchanged), previews, publishes; the places CSV and the map; take-up for analysts.
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators pension_income_n,taxpayers --min-cell 10
expect_exit 0
sol audience define draft1 --rule 'level municipality; pct_income_0_10k > 40; people pension_income_n' --drop-small
expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
get /api/audiences; expect_code 200
jq -e '.audiences == [] and .k == 100' "$T/out" >/dev/null || fail "a draft is listed: $(cat "$T/out")"
get /api/audiences/draft1; expect_code 404
get /api/audiences/draft1/places.csv; expect_code 404
get /api/login -X POST "${J[@]}" -c "$T/ana.jar" -d '{"name":"ana","password":"analyst-pw-1"}'; expect_code 200
csrf=$(jq -r .csrf "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
get /api/audiences "${A[@]}"; expect_code 200
jq -e '.audiences[0].name == "draft1" and .audiences[0].published == false' "$T/out" >/dev/null || fail "analyst list: $(cat "$T/out")"
BODY='{"name":"w","rule":{"level":"municipality","conditions":[{"indicator":"pct_pension_recipients","op":"top","value":25},{"indicator":"pct_income_0_10k","op":">","value":30}],"people":"pension_income_n"},"purpose":"Winter help desk"}'
snapshot
get /api/audiences -X POST "${J[@]}" -d "$BODY"; expect_code 401
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d "$BODY"; expect_code 400
expect_out 'would pass only with k at most 48'
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d '{"name":"w","rule":"level municipality; pct_pension > 3; people pension_income_n"}'
expect_code 400; expect_out "close names: pct_pension_recipients"
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d '{"name":"w","rule":"level municipality; pct_income_0_10k >; people x"}'
expect_code 400; expect_out 'rule:1:'
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d '{"name":"w"}'; expect_code 400
expect_unchanged
# a preview writes nothing
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d "${BODY%\}},\"drop_small\":true,\"preview\":true}"
expect_code 200; expect_unchanged
jq -e '.preview == true and (.areas | length) == 56' "$T/out" >/dev/null || fail "preview: $(head -c 300 "$T/out")"
get /api/audiences -X POST "${J[@]}" "${A[@]}" -d "${BODY%\}},\"drop_small\":true}"
expect_code 201
jq -e '.name == "w" and .published == false and (.areas | length) == 56 and (.people.estimate > 20000)
    and .k == 100 and .purpose == "Winter help desk" and (.evidence | length) == 3 and .created_by == "ana"
    and (.rule_text | test("among the highest 25%"))' "$T/out" >/dev/null || fail "card: $(head -c 600 "$T/out")"
get /api/audiences/publish -X POST "${J[@]}" "${A[@]}" -d '{"name":"w"}'; expect_code 200
store_sql "SELECT who FROM audit WHERE action = 'audience.publish'" | grep -qx ana || fail "the audit does not name the analyst"
# the anonymous visitor: the published card, in French words where the catalogue has them
get '/api/audiences?lang=fr'; expect_code 200
jq -e '(.audiences | length) == 1 and .audiences[0].name == "w" and .audiences[0].lang == "fr"' "$T/out" >/dev/null || fail "public list: $(head -c 300 "$T/out")"
get '/api/audiences/w?lang=it'; expect_code 200
jq -e '.name == "w" and .lang == "it" and (.evidence[0].label | test("Contribuenti"))
    and (.areas[0] | has("code") and has("name") and has("people") and has("low") and has("high"))' "$T/out" >/dev/null \
    || fail "card in Italian: $(head -c 600 "$T/out")"
get '/api/audiences/w/places.csv?region=Lazio&country=Italy'; expect_code 200
expect_out '^"Bolsena, Lazio, Italy",Bolsena,Lazio,Italy'
get /api/audiences/w/map.svg; expect_code 200; expect_out 'data-code="056008"'
get /api/audiences/draft1; expect_code 404
# take-up: analysts only
get '/api/takeup?eligible=pension_income_n&receiving=taxpayers&level=municipality'; expect_code 401
get '/api/takeup?eligible=pension_income_n&receiving=inc_0_10k_n&level=municipality' "${A[@]}"; expect_code 200
jq -e '.areas[0].rank == 1 and (.areas | length) > 300' "$T/out" >/dev/null || fail "takeup: $(head -c 300 "$T/out")"
# k is an administrator's choice
get /api/audiences/k -X POST "${J[@]}" "${A[@]}" -d '{"k": 150}'; expect_code 403
echo 'admin-pw-1' | "$SOLIDATA" --db "$DB" user add boss --role admin 2>/dev/null
get /api/login -X POST "${J[@]}" -c "$T/adm.jar" -d '{"name":"boss","password":"admin-pw-1"}'; expect_code 200
acsrf=$(jq -r .csrf "$T/out")
get /api/audiences/k -X POST "${J[@]}" -b "$T/adm.jar" -H "X-CSRF-Token: $acsrf" -d '{"k": 0}'; expect_code 400
get /api/audiences/k -X POST "${J[@]}" -b "$T/adm.jar" -H "X-CSRF-Token: $acsrf" -d '{"k": 150}'; expect_code 200
jq -e '.k == 150' "$T/out" >/dev/null || fail "k: $(cat "$T/out")"
store_sql "SELECT who FROM audit WHERE action = 'audience.k'" | grep -qx boss || fail "k not audited with its author"
stop_server
