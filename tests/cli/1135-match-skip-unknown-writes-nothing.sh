# --skip-unknown-areas on a file none of whose areas is in the store: an error listing them,
# not a success with 0 values
with_regions; snapshot
printf 'code,v\n99,1\n98,2\nXX,3\n' >"$T/none.csv"
sol import data "$T/none.csv" --area-field code --period 2020 --skip-unknown-areas
expect_exit 1
expect_err "no value was written: the 3 rows read are for areas not in the store"
expect_err "'99' \(line 2\)"; expect_err "'XX' \(line 4\)"
expect_unchanged
