# An empty or truncated file under an existing source name does not wipe the source: a file that
# yields no value is an error, and a version that drops most values needs --allow-shrink.
with_regions
sol import data "$DATA/bes_regions_wide.csv" --source bes --area-field reg_code --period-field year --indicators 01SAL001,01SAL004
expect_exit 0
snapshot
head -1 "$DATA/bes_regions_wide.csv" >"$T/header_only.csv"
sol import data "$T/header_only.csv" --source bes --area-field reg_code --period-field year --indicators 01SAL001,01SAL004
expect_exit 1; expect_err "no value was written"; expect_unchanged
head -3 "$DATA/bes_regions_wide.csv" >"$T/truncated.csv"
sol import data "$T/truncated.csv" --source bes --area-field reg_code --period-field year --indicators 01SAL001,01SAL004
expect_exit 1; expect_err "importing it would remove [0-9]+ value"; expect_err "--allow-shrink"
expect_unchanged
sol import data "$T/truncated.csv" --source bes --area-field reg_code --period-field year --indicators 01SAL001,01SAL004 --allow-shrink
expect_exit 0
# the version replaced by mistake is kept, and can be restored: the store is then as before
sol catalog; expect_exit 0
sol source restore bes --version 1
expect_exit 0; expect_err "version 1 of source 'bes' is current again: values restored: [0-9]+"
sol export data --indicator 01SAL001; expect_exit 0
[ "$(grep -c '^' "$T/out")" -gt 50 ] || fail "the restored version's values are not back"
sol audit list; expect_out 'source.restore'
sol audit verify; expect_exit 0
# and the truncated one in turn; bad requests leave the store unchanged
snapshot
sol source restore bes --version 9; expect_exit 1; expect_err "no version 9 of source 'bes'"
sol source restore bes --version 1; expect_exit 1; expect_err "is the current one"
sol source restore bes; expect_exit 2; expect_err "--version N is required"
expect_unchanged
sol source restore bes --version 2; expect_exit 0
