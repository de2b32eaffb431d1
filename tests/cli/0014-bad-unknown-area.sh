with_regions; snapshot
printf 'code,v\n01,1\n99,2\n98,3\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 1; expect_err "b.csv: 2 values of column 'code' are not areas of the store"
expect_err "'99' \(line 3\)"; expect_err "'98' \(line 4\)"; expect_err "import the areas first"; expect_unchanged
sol import data "$T/b.csv" --area-field code --period 2020 --skip-unknown-areas
expect_exit 0; expect_err "skipped 2 rows for areas not in the store \(first: '99'\)"; expect_err "1 observations written"
