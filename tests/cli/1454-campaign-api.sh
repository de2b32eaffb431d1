# The campaign routes: anonymous visitors see published campaigns only (a draft is 404 to them),
# the ledger file they download verifies with `ledger verify`, the badge is SVG, the IATI export
# is schema-valid; analysts see drafts in the list.
. "$TOP/tests/cli/ledger_lib.sh"
with_campaign
add_entries
sol campaign add spring --kind information --objective "A draft nobody sees yet"
expect_exit 0
sol campaign label winter --rules "$TOP/examples/label-rules.json"
expect_exit 0
sol campaign export winter --iati "$T/x.xml" --org-ref IT-CF-97000000000 --org-name "Associazione Esempio"
expect_exit 0
serve
get /api/campaigns/winter
expect_code 404
sol campaign publish winter
expect_exit 0
get /api/campaigns
expect_code 200
jq -e 'length == 1 and .[0].name == "winter" and .[0].donations_cents == 45970' "$T/out" >/dev/null || fail "list"
get /api/campaigns/winter
expect_code 200
jq -e '.ledger.verified == true and .totals.objective_cents == 20000 and .label.total == 8 and .evidence[0].label == "Lazio"' "$T/out" >/dev/null || fail "campaign JSON"
get /api/campaigns/winter/ledger.json
expect_code 200
cp "$T/out" "$T/l.json"
sol ledger verify "$T/l.json" --public-key "$PK"
expect_exit 0
get /api/campaigns/winter/label.svg
expect_code 200
grep -q '<svg' "$T/out" || fail "no SVG badge"
get /api/campaigns/winter/iati.xml
expect_code 200
xmllint --noout --schema "$TOP/tests/data/iati/iati-activities-schema.xsd" "$T/out" 2>/dev/null || fail "served IATI not valid"
get /api/campaigns/winter/360giving.json
expect_code 200
get /api/campaigns/spring
expect_code 404
get /api/campaigns/spring/ledger.json
expect_code 404
get /api/campaigns/winter/nothing
expect_code 404
stop_server
# an analyst appends an entry over the API, signed with the key the server was started with
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst >/dev/null 2>&1
rm -f "$T/port"
export SOLIDATA_LEDGER_KEY=$T/org.key
serve
code=$(curl -s -c "$T/jar" -o "$T/out" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login")
[ "$code" = 200 ] || fail "login: $code"
csrf=$(jq -r .csrf "$T/out")
post() { code=$(curl -s -b "$T/jar" -o "$T/out" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d "$1" "$URL/api/campaigns/ledger"); }
post '{"campaign":"winter","kind":"donation","amount":"12.50","date":"2026-12-20","channel":"cash"}'
expect_code 200
jq -e '.seq == 13' "$T/out" >/dev/null || fail "seq 13 expected"
post '{"campaign":"winter","kind":"donation","amount":"-3","date":"2026-12-20","channel":"cash"}'
expect_code 400
post '{"campaign":"winter","kind":"donation","amount":"3","date":"2026-12-20","channel":"cash","donor":"Mario Rossi"}'
expect_code 400
post '{"campaign":"nope","kind":"donation","amount":"3","date":"2026-12-20","channel":"cash"}'
expect_code 404
# anonymous visitors cannot write
code=$(curl -s -o "$T/out" -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$URL/api/campaigns/ledger")
[ "$code" = 401 ] || fail "anonymous POST answered $code"
get /api/campaigns/winter/ledger.json
cp "$T/out" "$T/l2.json"
stop_server
sol ledger verify "$T/l2.json" --public-key "$PK"
expect_exit 0; expect_out '^verified: 13 entries'
