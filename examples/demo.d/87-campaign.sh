# 87-campaign.sh - demo step: a winter help desk fundraising in Lazio with a public ledger, hash-
# chained and signed with the organisation's Ed25519 key; verified, labelled and exported as IATI
# open data (docs/ledger.md). The audience winter-desk comes from the step 85-audience.sh when
# it exists; without it the campaign simply names no audience.
echo
echo "== A fundraising campaign with a public, signed ledger (winter help desk, Lazio)"
rm -f "$out/org.key"
run ledger keygen --out "$out/org.key" >"$out/org.pub"
echo "   the organisation's public key (published with every ledger): $(cut -c1-16 "$out/org.pub")..."
aud=()
if "$S" --db "$db" audience show winter-desk >/dev/null 2>&1; then aud=(--audience winter-desk); fi
run campaign add winter-helpdesk-lazio --kind fundraising --lang it \
    --objective "Uno sportello invernale per le persone anziane che vivono sole nel Lazio: telefono, visite a domicilio, coperte e pasti caldi" \
    --evidence indicator:pct_income_0_10k,indicator:pension_income_n,area:12 "${aud[@]}" \
    --budget 6000 --currency EUR --starts 2026-12-01 --ends 2027-02-28
k=(--key "$out/org.key")
c=winter-helpdesk-lazio
{
    run ledger add $c --donation 50 --date 2026-12-02 --channel bank --donor d-3f9a21 "${k[@]}"
    run ledger add $c --donation 20 --date 2026-12-03 --channel cash "${k[@]}"
    run ledger add $c --donation 250 --date 2026-12-04 --channel online --donor d-71c0e4 "${k[@]}"
    run ledger add $c --donation 35.50 --date 2026-12-05 --channel card --donor d-0b5d93 "${k[@]}"
    run ledger add $c --donation 1000 --date 2026-12-06 --channel bank --donor d-a41e77 "${k[@]}"
    run ledger add $c --donation 20 --date 2026-12-06 --channel cash "${k[@]}"
    run ledger add $c --donation 40 --date 2026-12-09 --channel online --currency CHF --rate 1.06 "${k[@]}"
    run ledger add $c --expenditure 420 --date 2026-12-10 --category objective --what "coperte e termos per 60 persone" "${k[@]}"
    run ledger add $c --expenditure 380 --date 2026-12-14 --category objective --what "pasti caldi consegnati a domicilio" "${k[@]}"
    run ledger add $c --expenditure 95 --date 2026-12-15 --category running --what "linea telefonica dello sportello" "${k[@]}"
    run ledger add $c --expenditure 18.40 --date 2026-12-16 --category running --what "commissioni bancarie" "${k[@]}"
    run ledger reverse $c 6 --why "contanti contati due volte" --date 2026-12-17 "${k[@]}"
} >/dev/null
run ledger list $c >"$out/ledger_$c.csv"
echo "   12 entries (7 donations, 4 expenditures, 1 reversal): $out/ledger_$c.csv"
run ledger export $c --out "$out/ledger_$c.json"
run ledger verify "$out/ledger_$c.json" --public-key "$(cat "$out/org.pub")"
echo "   a tampered copy (one amount changed) is caught:"
sed '0,/"amount_cents": 5000/s//"amount_cents": 500/' "$out/ledger_$c.json" >"$out/ledger_tampered.json"
run ledger verify "$out/ledger_tampered.json" || true
run campaign publish $c
run campaign label $c --rules "$(dirname "$D")/label-rules.json" --svg "$out/label_$c.svg"
run campaign export $c --iati "$out/iati_$c.xml" --360giving "$out/360giving_$c.json" \
    --org-ref IT-CF-97000000000 --org-name "Associazione Sportello Anziani (esempio)" --country IT
schema=$(dirname "$(dirname "$D")")/tests/data/iati/iati-activities-schema.xsd
if command -v xmllint >/dev/null && [ -f "$schema" ]; then
    xmllint --noout --schema "$schema" "$out/iati_$c.xml" 2>&1 | sed 's/^/   /'
fi
echo "   the public page: solidata serve, then /?campaign=$c (in fr, it, en; the ledger is verified"
echo "   in the visitor's browser), the badge $out/label_$c.svg, IATI $out/iati_$c.xml"
