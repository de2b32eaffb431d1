# ledger_lib.sh - a campaign with a signed ledger for the tests 1450-1499: the regions, a
# campaign "winter" on area 12 (Lazio), the organisation's key in $T/org.key, and entries.
with_campaign() {
    with_regions
    sol campaign add winter --kind fundraising --objective "A winter help desk for older people living alone" \
        --evidence area:12 --budget 5000 --starts 2026-12-01 --ends 2027-02-28 --lang it
    expect_exit 0
    sol ledger keygen --out "$T/org.key"
    expect_exit 0
    PK=$(cat "$T/out")
}
# add_entries: eleven entries and a reversal, signed at each
add_entries() {
    local k=(--key "$T/org.key") d=1
    for a in "50 bank d-0001" "20 cash anonymous" "100 online d-0002" "35.50 card d-0003" "250 bank anonymous" "15 cash d-0004"; do
        set -- $a
        sol ledger add winter --donation "$1" --date 2026-12-0$d --channel "$2" --donor "$3" "${k[@]}"
        expect_exit 0
        d=$((d + 1))
    done
    sol ledger add winter --expenditure 120 --date 2026-12-10 --category objective --what "blankets" "${k[@]}"; expect_exit 0
    sol ledger add winter --expenditure 80 --date 2026-12-12 --category objective --what "hot meals" "${k[@]}"; expect_exit 0
    sol ledger add winter --expenditure 30 --date 2026-12-12 --category running --what "phone line" "${k[@]}"; expect_exit 0
    sol ledger add winter --donation 10 --date 2026-12-13 --channel online --currency USD --rate 0.92 "${k[@]}"; expect_exit 0
    sol ledger add winter --expenditure 12.40 --date 2026-12-14 --category running --what "bank fees" "${k[@]}"; expect_exit 0
    sol ledger reverse winter 2 --why "counted twice" --date 2026-12-15 "${k[@]}"; expect_exit 0
}
