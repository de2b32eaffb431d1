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
