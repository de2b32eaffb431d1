# The same file again is a no-op; a changed file becomes version 2 replacing version 1's values.
with_regions
head -n 101 "$DATA/bes_regions_long.csv" >"$T/bes.csv"
sol import data "$T/bes.csv" --area-field reg_code --period-field year --indicator-field indicator_id
expect_exit 0; expect_err "100 observations written"
snapshot
sol import data "$T/bes.csv" --area-field reg_code --period-field year --indicator-field indicator_id
expect_exit 0; expect_err "unchanged since it was imported as source 'bes.csv' version 1"
expect_unchanged
head -n 51 "$DATA/bes_regions_long.csv" >"$T/bes.csv"
sol import data "$T/bes.csv" --area-field reg_code --period-field year --indicator-field indicator_id
expect_exit 0; expect_err "version 2 .*50 observations written"
sol init; expect_out "50 observations"
sol catalog; expect_out "bes.csv,1,superseded"; expect_out "bes.csv,2,current"
