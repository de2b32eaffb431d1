# A campaign is published only when its ledger is signed up to its last entry; once published,
# an entry without the key is refused (so a published ledger is always signed to its end), and
# the key may come from $SOLIDATA_LEDGER_KEY. achieved, review and note are recorded.
. "$TOP/tests/cli/ledger_lib.sh"
with_campaign
sol ledger add winter --donation 50 --date 2026-12-03 --channel bank
expect_exit 0
snapshot
sol campaign publish winter
expect_exit 1; expect_err 'not signed up to its last entry'; expect_unchanged
sol ledger sign winter --key "$T/org.key"
expect_exit 0
sol campaign publish winter
expect_exit 0
snapshot
sol ledger add winter --donation 20 --date 2026-12-04 --channel cash
expect_exit 1; expect_err 'is published: its ledger must stay signed'; expect_unchanged
SOLIDATA_LEDGER_KEY=$T/org.key sol ledger add winter --donation 20 --date 2026-12-04 --channel cash
expect_exit 0
sol campaign achieved winter --text "312 older people called the help desk; 48 home visits"
expect_exit 0
sol campaign review winter --by "Studio Rossi, revisore" --date 2027-03-15
expect_exit 0
sol campaign review winter --by "x" --date 15/03/2027
expect_exit 2
sol campaign show winter --json
expect_exit 0
expect_out '"achieved": "312 older people'
expect_out '"verified": true'
expect_out '"by": "Studio Rossi, revisore"'
sol audit list
expect_out 'campaign.publish'
expect_out 'ledger.add'
# without publish auto, a label evaluated on a public campaign is public at once, and a draft
# campaign's label is published with the campaign
unset SOLIDATA_PUBLISH_AUTO
sol campaign label winter --rules "$TOP/examples/label-rules.json"
expect_exit 0
sol publish drafts
grep -q '^run,' "$T/out" && fail "the label of a public campaign stayed a draft"
sol campaign add draft2 --kind information --objective "A draft with a label"
expect_exit 0
sol campaign label draft2 --rules "$TOP/examples/label-rules.json"
expect_exit 0
sol publish drafts
expect_out '^run,'
sol campaign publish draft2
expect_exit 0
sol publish drafts
grep -q '^run,' "$T/out" && fail "the label stayed a draft after the campaign was published"
true
