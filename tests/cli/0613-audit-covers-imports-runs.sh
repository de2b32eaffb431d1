# Imports (areas and data, with the file's SHA-256), accounts, budget changes and runs are in the
# hash-chained audit log, so 'audit verify' covers them: altering an import's digest breaks it.
. "$TOP/tests/cli/sdc_lib.sh"
export SOLIDATA_USER=clerk
sdc_store
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
sol budget set counts.csv --epsilon 2 --min-cell 5; expect_exit 0
awk 'BEGIN { print "area"; for (i = 0; i < 300; i++) printf "A%d\n", i % 4 }' >"$T/m.csv"
sol tabulate --microdata "$T/m.csv" --rows area --record --out "$T/t.csv"; expect_exit 0
sol audit list; expect_exit 0
sha_areas=$(sha256sum "$T/areas.geojson" | cut -d' ' -f1)
sha_data=$(sha256sum "$T/counts.csv" | cut -d' ' -f1)
expect_out "^1,.*,clerk,import.areas,.*areas.geojson.*$sha_areas"
expect_out "^2,.*,clerk,import.data,.*$sha_data.*suppressed_primary.*: ?2"
expect_out ',account.add,'
expect_out ',clerk,privacy.budget.set,.*counts.csv'
expect_out ',run,.*privacy.tabulate'
sol audit verify; expect_exit 0; expect_out '^audit: [5-9] entries, chain intact'
# the same file again is a no-op and writes nothing
n=$(store_sql "SELECT count(*) FROM audit")
sol import data "$T/counts.csv" --area-field code --period-field year; expect_exit 0
[ "$(store_sql "SELECT count(*) FROM audit")" = "$n" ] || fail "a no-op import was audited"
# an altered import entry (another file's digest) is detected
unguard=$unguard_audit
store_sql "$unguard UPDATE audit SET detail = replace(detail, '$sha_data', '$sha_areas') WHERE action = 'import.data'"
sol audit verify; expect_exit 1; expect_err "audit log broken at entry 2"
