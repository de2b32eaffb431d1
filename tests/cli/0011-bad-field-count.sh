with_regions; snapshot
printf 'code,v,w\n01,1,2\n12,3\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 1; expect_err "b.csv:3: expected 3 fields \(as in the header\), found 2"; expect_unchanged
