# Bad input to campaigns and ledgers is refused with what was wrong, and the store is unchanged
# after each: a negative donation, a currency mix without a rate, a donor named, a signature by
# another key, an unknown campaign, audience or evidence, an unknown label rule, a reversal of a
# reversal; the ledger tables refuse UPDATE and DELETE.
. "$TOP/tests/cli/ledger_lib.sh"
with_campaign
sol ledger add winter --donation 50 --date 2026-12-03 --channel bank --key "$T/org.key"
expect_exit 0
snapshot
sol ledger add winter --donation -5 --date 2026-12-05 --channel cash --key "$T/org.key"
[ "$rc" != 0 ] || fail "a negative donation was accepted"; expect_err 'must be positive'; expect_unchanged
sol ledger add winter --donation 0 --date 2026-12-05 --channel cash --key "$T/org.key"
[ "$rc" != 0 ] || fail "a zero donation was accepted"; expect_unchanged
sol ledger add winter --donation 5 --date 2026-12-05 --channel cash --currency USD --key "$T/org.key"
expect_exit 2; expect_err 'USD differs from the campaign.s currency EUR: give --rate'; expect_unchanged
sol ledger add winter --donation 5 --date 2026-12-05 --channel cash --donor "Mario Rossi" --key "$T/org.key"
expect_exit 1; expect_err 'looks like a name'; expect_unchanged
sol ledger add winter --donation 5 --date 2026-13-05 --channel cash --key "$T/org.key"
[ "$rc" != 0 ] || fail "a bad date was accepted"; expect_unchanged
sol ledger add winter --expenditure 5 --date 2026-12-05 --category salaries --what x --key "$T/org.key"
expect_exit 1; expect_err 'expected objective or running'; expect_unchanged
# another organisation's key
"$SOLIDATA" --db "$T/other.db" ledger keygen --out "$T/other.key" >/dev/null 2>&1
sol ledger add winter --donation 5 --date 2026-12-05 --channel cash --key "$T/other.key"
expect_exit 1; expect_err 'not the organisation.s published ledger key'; expect_unchanged
sol ledger sign winter --key "$T/other.key"
expect_exit 1; expect_err 'another key is refused'; expect_unchanged
# a key never overwritten; a store key never silently replaced
sol ledger keygen --out "$T/org.key"
expect_exit 1; expect_err 'already has a ledger key'; expect_unchanged
sol ledger add nope --donation 5 --date 2026-12-05 --channel cash
expect_exit 1; expect_err "no campaign 'nope'; campaigns: winter"; expect_unchanged
sol campaign add spring --kind fundraising --objective "School supplies" --audience helpdesk-nowhere
expect_exit 1; expect_err "no audience 'helpdesk-nowhere'"; expect_unchanged
sol campaign add spring --kind fundraising --objective "School supplies" --evidence indicator:NOPE
expect_exit 1; expect_err "evidence 'indicator:NOPE' is not in the store"; expect_unchanged
sol campaign add spring --kind party --objective "School supplies"
expect_exit 2; expect_err 'expected event, information or fundraising'; expect_unchanged
sol campaign add winter --kind fundraising --objective "again"
expect_exit 1; expect_err "already exists"; expect_unchanged
printf '{"label":"L","rules":[{"rule":"objective_stated"},{"rule":"running_cost_max_pct","pct":20}]}' >"$T/r.json"
sol campaign label winter --rules "$T/r.json"
expect_exit 1; expect_err "unknown rule 'running_cost_max_pct'; did you mean 'running_costs_max_pct'\? known rules: objective_stated"
expect_unchanged
sol ledger reverse winter 1 --why "returned" --key "$T/org.key"
expect_exit 0
snapshot
sol ledger reverse winter 2 --why "again" --key "$T/org.key"
expect_exit 1; expect_err 'is itself a reversal'; expect_unchanged
sol ledger reverse winter 1 --why "again" --key "$T/org.key"
expect_exit 1; expect_err 'already reversed'; expect_unchanged
# the store itself refuses edits of the ledger
store_sql "UPDATE ledger_entry SET body = '{}' WHERE seq = 1" 2>"$T/sq" && fail "UPDATE accepted"
grep -q 'append-only' "$T/sq" || fail "no append-only message"
store_sql "DELETE FROM ledger_signature" 2>"$T/sq" && fail "DELETE accepted"
expect_unchanged
