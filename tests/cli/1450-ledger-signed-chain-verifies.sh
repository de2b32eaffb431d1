# A campaign with a dozen signed entries: the key file is private (0600), the public key is kept
# in the store, the exported ledger verifies (with the key pinned too), totals are right, the
# label is evaluated and recorded with its badge, IATI 2.03 output is valid against the official
# schema (tests/data/iati) and the 360Giving grant has its required fields.
. "$TOP/tests/cli/ledger_lib.sh"
with_campaign
[ "$(stat -c %a "$T/org.key")" = 600 ] || fail "the secret key file is not mode 0600"
echo "$PK" | grep -qE '^[0-9a-f]{64}$' || fail "no public key printed"
add_entries
sol ledger list winter
expect_exit 0; expect_lines 13
expect_out '^12,2026-12-15,reversal,,,,,reverses 2: counted twice,'
sol ledger export winter --out "$T/ledger.json"
expect_exit 0
sol ledger verify "$T/ledger.json" --public-key "$PK"
expect_exit 0
expect_out '^verified: 12 entries, chain intact, signed up to the last entry'
# 50+100+35.50+250+15 + 10 USD at 0.92 (9.20) = 459.70; 20 reversed
expect_out 'donations 459.70, spent on the objective 200.00, running costs 42.40, balance 217.30'
# the public ledger names no donor: pseudonyms and "anonymous" only
grep -q '"donor": "d-0001"' "$T/ledger.json" || fail "pseudonym missing"
# label
sol campaign label winter --rules "$TOP/examples/label-rules.json" --svg "$T/badge.svg"
expect_exit 0
expect_out '^ledger_verifies,pass,'
expect_out '^running_costs_max_pct,pass,running costs are 17.5%'
expect_err 'run 1'
grep -q 'SHA-256' "$T/badge.svg" || fail "badge without the rules' SHA-256"
sha=$(sha256sum "$TOP/examples/label-rules.json" | cut -c1-16)
grep -q "$sha" "$T/badge.svg" || fail "badge without the rules file's digest $sha"
# open standards
sol campaign export winter --iati "$T/a.xml" --360giving "$T/g.json" --org-ref IT-CF-97000000000 \
    --org-name "Associazione Esempio" --country IT
expect_exit 0
xmllint --noout --schema "$TOP/tests/data/iati/iati-activities-schema.xsd" "$T/a.xml" 2>"$T/xmllint" ||
    fail "IATI output not schema-valid: $(head -c 600 "$T/xmllint")"
grep -q '<transaction-type code="1"/>' "$T/a.xml" || fail "donations are not incoming funds"
grep -q '<transaction-type code="4"/>' "$T/a.xml" || fail "expenditures are not type 4"
for k in id title description currency amountAwarded awardDate recipientOrganization fundingOrganization; do
    jq -e ".grants[0].$k" "$T/g.json" >/dev/null || fail "360Giving grant without $k"
done
jq -e '.grants[0].recipientOrganization[0].id == "IT-CF-97000000000"' "$T/g.json" >/dev/null || fail "recipient id"
