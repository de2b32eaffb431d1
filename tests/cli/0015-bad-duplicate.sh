with_regions; snapshot
printf 'reg_code,year,indicator,value\n01,2020,x,1\n12,2020,x,2\n01,2020,x,3\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field reg_code --period-field year
expect_exit 1; expect_err "b.csv:4:11: a second value for the same \(area, period, indicator\)"; expect_unchanged
# the same value from another source is refused too, naming the catalog entry
head -n 3 "$T/b.csv" >"$T/c.csv"; cp "$T/c.csv" "$T/d.csv"
sol import data "$T/c.csv" --area-field reg_code --period-field year; expect_exit 0; snapshot
sol import data "$T/d.csv" --area-field reg_code --period-field year
expect_exit 1; expect_err "already has a value from another source"; expect_unchanged
# in a long file the duplicate is found inside a full batch and still named at its own line
{ echo "reg_code,year,indicator,value"; for i in $(seq 1 600); do echo "01,2020,i$i,$i"; done; echo "01,2020,i7,9"; } >"$T/long.csv"
sol import data "$T/long.csv" --area-field reg_code --period-field year --source long
expect_exit 1; expect_err "long.csv:602:12: a second value for the same"; expect_unchanged
