with_regions; snapshot
printf 'code,v\n01,1\n12,abc\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020 --indicators v
expect_exit 1; expect_err "b.csv:3:4: expected a number in column 'v', found 'abc'"; expect_unchanged
printf 'reg_code,year,indicator,value\n01,2020,x,1\n01,2021,x,1,5\n' >"$T/l.csv"
sol import data "$T/l.csv" --area-field reg_code --period-field year
expect_exit 1; expect_err "l.csv:3: expected 4 fields"; expect_unchanged
printf 'reg_code,year,indicator,value\n01,2020,x,1\n01,2021,x,one\n' >"$T/l.csv"
sol import data "$T/l.csv" --area-field reg_code --period-field year
expect_exit 1; expect_err "l.csv:3:11: expected a number in column 'value', found 'one'"; expect_unchanged
