# fewer observations than the method needs; bad flags; missing columns; non-numeric values
printf 'period,value\n2020,1\n2021,2\n' >"$T/s.csv"
sol trend --data "$T/s.csv" --period-field period --value-field value
expect_exit 1; expect_err "series '\(the series\)' has 2 values; the trend test needs 3"
sol changepoints --data "$T/s.csv" --period-field period --value-field value --method pelt --type meanvar
expect_exit 1; expect_err "has 2 values; this method needs 4"
sol trend --data "$T/s.csv" --period-field period --value-field value --seasonal
expect_exit 1; expect_err "seasonal test needs quarterly or monthly periods"
sol changepoints --data "$T/s.csv" --period-field period --value-field value
expect_exit 2; expect_err "--method pettitt\|amoc\|pelt is required"
sol changepoints --data "$T/s.csv" --period-field period --value-field value --method cusum
expect_exit 2; expect_err "--method cusum: expected pettitt, amoc or pelt"
sol trend --data "$T/s.csv" --period-field year --value-field value
expect_exit 1; expect_err "s.csv:1: no column named 'year' in the header \(--period-field\)"
printf 'period,value\n2020,1\n2021,two\n' >"$T/t.csv"
sol trend --data "$T/t.csv" --period-field period --value-field value
expect_exit 1; expect_err "t.csv:3:6: 'two' is not a number \(column value\)"
sol trend --period-field period --value-field value
expect_exit 2; expect_err "--data F.csv or --indicator CODE is required"
