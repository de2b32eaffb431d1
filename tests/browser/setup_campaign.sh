# setup_campaign.sh - the browser tests' campaign (t_campaign.js): a published fundraising in
# Lazio with a dozen ledger entries signed with the organisation's key, and its label evaluated.
# Sourced by run.sh with s (solidata on the test store), $D, $T.
s ledger keygen --out "$T/org.key"
s campaign add winter-helpdesk --kind fundraising --lang it \
    --objective "Uno sportello invernale per le persone anziane che vivono sole nel Lazio" \
    --evidence indicator:pct_income_0_10k,area:12 --budget 6000 --starts 2026-12-01 --ends 2027-02-28
for e in "50 bank d-3f9a21 02" "20 cash anonymous 03" "250 online d-71c0e4 04" "35.50 card d-0b5d93 05" \
         "1000 bank d-a41e77 06" "20 cash anonymous 06" "40 online anonymous 09"; do
    set -- $e
    s ledger add winter-helpdesk --donation "$1" --channel "$2" --donor "$3" --date "2026-12-$4" --key "$T/org.key"
done
s ledger add winter-helpdesk --expenditure 420 --date 2026-12-10 --category objective --what "coperte e termos" --key "$T/org.key"
s ledger add winter-helpdesk --expenditure 380 --date 2026-12-14 --category objective --what "pasti caldi a domicilio" --key "$T/org.key"
s ledger add winter-helpdesk --expenditure 95 --date 2026-12-15 --category running --what "linea telefonica" --key "$T/org.key"
s ledger add winter-helpdesk --expenditure 18.40 --date 2026-12-16 --category running --what "commissioni bancarie" --key "$T/org.key"
s ledger reverse winter-helpdesk 6 --why "contanti contati due volte" --date 2026-12-17 --key "$T/org.key"
s campaign publish winter-helpdesk
s campaign label winter-helpdesk --rules "$top/examples/label-rules.json"
# the server signs the entries analysts add from the dashboard with the organisation's key
export SOLIDATA_LEDGER_KEY=$T/org.key
