with_regions; snapshot
printf 'region,v\n01,1\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 1; expect_err "b.csv:1: no column named 'code' in the header \(--area-field\)"; expect_unchanged
