# gaps are reported on stderr and left out of the tests; Hamed-Rao needs consecutive periods
printf 'period,value\n2015,1\n2016,2\n2017,NA\n2019,4\n2020,6\n' >"$T/g.csv"
sol trend --data "$T/g.csv" --period-field period --value-field value
expect_exit 0; expect_err "series '\(the series\)' has 2 gaps \(first 2017\)"; expect_out '^,4,6,'
sol trend --data "$T/g.csv" --period-field period --value-field value --hamed-rao
expect_exit 1; expect_err "has 2 gaps: the Hamed-Rao correction needs consecutive periods"
sol changepoints --data "$T/g.csv" --period-field period --value-field value --method pettitt
expect_exit 0; expect_err "has 2 gaps"
