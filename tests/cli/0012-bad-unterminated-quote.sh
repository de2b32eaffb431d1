with_regions; snapshot
printf 'code,v\n01,1\n12,"3\n13,4\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 1; expect_err "b.csv:3:4: unterminated quoted field"; expect_unchanged
