# mixed frequencies in one file are refused at the first period of another frequency
printf 'period,value\n2020-Q1,1\n2020-Q2,2\n2020-07,3\n' >"$T/m.csv"
sol trend --data "$T/m.csv" --period-field period --value-field value
expect_exit 1; expect_err "m.csv:4:1: period 2020-07 is monthly but line 2 has 2020-Q1 \(quarterly\): one frequency per run"
printf 'period,value\n2020,1\n2021-Q2,2\n' >"$T/n.csv"
sol changepoints --data "$T/n.csv" --period-field period --value-field value --method pettitt
expect_exit 1; expect_err "n.csv:3:1: period 2021-Q2 is quarterly but line 2 has 2020 \(annual\)"
