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
