# The dashboard's campaign routes: an analyst (with the CSRF token) declares a campaign, is told
# in words that an unsigned ledger cannot be published, adds entries the server signs, publishes,
# says what was achieved and evaluates the label with the shared rules bundled with the software
# (the same SHA-256 as examples/label-rules.json), recorded as a run; anonymous visitors, public
# accounts and requests without the token are refused, bad bodies are 400 naming the field, and
# the store is unchanged after every failure.
with_regions
sol ledger keygen --out "$T/org.key"
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
BODY='{"name":"winter","kind":"fundraising","objective":"A winter help desk for older people living alone","evidence":["area:12"],"budget":"5000","starts":"2026-12-01","ends":"2027-02-28","lang":"it"}'
snapshot
for p in /api/campaigns /api/campaigns/publish /api/campaigns/achieved /api/campaigns/label; do
    get $p -X POST "${J[@]}" -d "$BODY"; expect_code 401
    get $p -X POST "${J[@]}" -b "$T/pub.jar" -H "X-CSRF-Token: $pcsrf" -d "$BODY"; expect_code 403
    get $p -X POST "${J[@]}" -b "$T/ana.jar" -d "$BODY"; expect_code 403; expect_out 'CSRF'
done
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"fundraising"}'; expect_code 400; expect_out '\\"objective\\"'
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"picnic","objective":"A test of the checks"}'; expect_code 400; expect_out 'kind'
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"event","objective":"A test of the checks","budget":"lots"}'; expect_code 400; expect_out 'budget'
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"event","objective":"A test of the checks","evidence":"area:12"}'; expect_code 400; expect_out '\\"evidence\\"'
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"event","objective":"A test of the checks","evidence":["area:99"]}'; expect_code 404; expect_out 'area:99'
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","kind":"event","objective":"A test of the checks","audience":"nobody"}'; expect_code 404
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d 'not json'; expect_code 400
get /api/campaigns/label -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","rules":"/etc/passwd"}'; expect_code 400; expect_out 'reads no file'
get /api/campaigns/publish -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","publish":true}'; expect_code 404
expect_unchanged
# declared as a draft: the public does not see it
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d "$BODY"; expect_code 201
get /api/campaigns -X POST "${J[@]}" "${A[@]}" -d "$BODY"; expect_code 400; expect_out "already exists"
get /api/campaigns/winter; expect_code 404
get /api/campaigns/winter "${A[@]}"; expect_code 200
jq -e '.published == false and .evidence[0].label == "Lazio" and .budget_cents == 500000' "$T/out" >/dev/null || fail "draft JSON"
store_sql "SELECT count(*) FROM audit WHERE who = 'ana'" | grep -qv '^0$' || fail "no audit row by ana"
# an entry added while the server has no key is unsigned: publishing is refused, in words
get /api/campaigns/ledger -X POST "${J[@]}" "${A[@]}" -d '{"campaign":"winter","kind":"donation","amount":"50","date":"2026-12-01","channel":"bank"}'; expect_code 200
snapshot
get '/api/campaigns/publish?lang=fr' -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","publish":true}'; expect_code 400
expect_out "n'est pas signé jusqu'à sa dernière écriture"
get /api/campaigns/publish -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","publish":"yes"}'; expect_code 400
get /api/campaigns/achieved -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter"}'; expect_code 400; expect_out '\\"text\\"'
get /api/campaigns/achieved -X POST "${J[@]}" "${A[@]}" -d '{"name":"nope","text":"x"}'; expect_code 404
get /api/campaigns/label -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","rules":{"label":"bad","rules":[{"rule":"no_such_rule"}]}}'; expect_code 400
expect_unchanged
stop_server
# the server started with the organisation's key signs what analysts add: the ledger is then
# signed to its end and the campaign can be published
rm -f "$T/port"
SOLIDATA_LEDGER_KEY=$T/org.key serve
get /api/login -X POST "${J[@]}" -c "$T/ana.jar" -d '{"name":"ana","password":"analyst-pw-1"}'; expect_code 200
csrf=$(jq -r .csrf "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
get /api/campaigns/ledger -X POST "${J[@]}" "${A[@]}" -d '{"campaign":"winter","kind":"expenditure","amount":"20","date":"2026-12-05","category":"objective","what":"blankets"}'; expect_code 200
get /api/campaigns/publish -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","publish":true}'; expect_code 200
jq -e '.published == true' "$T/out" >/dev/null || fail "not published"
get /api/campaigns/achieved -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","text":"40 people visited at home"}'; expect_code 200
get /api/campaigns/label -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","rules":"default"}'; expect_code 200
sha=$(sha256sum "$TOP/examples/label-rules.json" | cut -d' ' -f1)
jq -e --arg s "$sha" '.rules_sha256 == $s and .total == 8 and .run > 0' "$T/out" >/dev/null || fail "label: $(cat "$T/out")"
jq -e '.rules[] | select(.rule == "achieved_reported") | .outcome == "pass"' "$T/out" >/dev/null || fail "achieved not seen by the label"
# rules given in the body are evaluated too (and recorded)
get /api/campaigns/label -X POST "${J[@]}" "${A[@]}" -d '{"name":"winter","rules":{"label":"Mini","version":1,"rules":[{"rule":"objective_stated"}]}}'; expect_code 200
jq -e '.total == 1' "$T/out" >/dev/null || fail "rules in the body"
# the rules file's text sent as a string keeps its SHA-256
jq -n --rawfile r "$TOP/examples/label-rules.json" '{name: "winter", rules: $r}' >"$T/lab.json"
get /api/campaigns/label -X POST "${J[@]}" "${A[@]}" -d @"$T/lab.json"; expect_code 200
jq -e --arg s "$sha" '.rules_sha256 == $s' "$T/out" >/dev/null || fail "the rules' text changed on the way"
# everyone sees the published campaign with what was achieved and its label
get /api/campaigns/winter; expect_code 200
jq -e '.published == true and .achieved == "40 people visited at home" and .ledger.verified == true and .label != null' "$T/out" >/dev/null || fail "public page: $(cat "$T/out")"
stop_server
store_sql "SELECT count(*) FROM run WHERE kind = 'campaign.label' AND created_by = 'ana'" | grep -qx 3 || fail "three label runs by ana expected"
