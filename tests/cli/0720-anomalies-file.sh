# anomalies in file mode: the decomposition against R's decompose (quarterly UKgas, additive and
# multiplicative) and the Theil-Sen line (annual); bad input refused.
R=$TOP/tests/data/time_anomaly
sol anomalies --data "$R/ukgas_additive.csv" --period-field period --value-field value
expect_exit 0; expect_out '^id,period,value,trend,seasonal,remainder,z,anomaly$'; expect_lines 109
cut -d, -f2- "$T/out" >"$T/got.csv"
for c in 3:2 4:3 5:4 6:5; do
    g=${c%:*}; w=${c#*:}
    [ "$(close_cols "$T/got.csv" "$g" "$R/expected_ukgas_additive.csv" "$w" 1e-9)" = 108 ] || fail "column $g differs from R"
done
sol anomalies --data "$R/ukgas_multiplicative.csv" --period-field period --value-field value --multiplicative
expect_exit 0; cut -d, -f2- "$T/out" >"$T/got.csv"
[ "$(close_cols "$T/got.csv" 4 "$R/expected_ukgas_multiplicative.csv" 3 1e-9)" = 108 ] || fail "multiplicative seasonal"
sol anomalies --data "$R/short_sen.csv" --period-field period --value-field value
expect_exit 0; cut -d, -f2- "$T/out" >"$T/got.csv"
[ "$(close_cols "$T/got.csv" 6 "$R/expected_short_sen.csv" 5 1e-9)" = 10 ] || fail "z of the annual series"
expect_out '^,2024,15,.*,1$'; [ "$(grep -c ',1$' "$T/out")" = 1 ] || fail "one anomaly expected"
sol anomalies --data "$R/short_sen.csv" --period-field period --value-field value --threshold 50
expect_exit 0; [ "$(grep -c ',1$' "$T/out")" = 0 ] || fail "threshold ignored"
# bad input
printf 'period,value\n2020-Q1,1\n2020-Q2,2\n2020-Q4,3\n2021-Q1,4\n2021-Q2,5\n2021-Q3,6\n2021-Q4,7\n2022-Q1,8\n' >"$T/gap.csv"
sol anomalies --data "$T/gap.csv" --period-field period --value-field value
expect_exit 1; expect_err "1 gap: the decomposition needs consecutive values"
printf 'period,value\n2020,1\n2021,x\n' >"$T/bad.csv"
sol anomalies --data "$T/bad.csv" --period-field period --value-field value
expect_exit 1; expect_err 'bad.csv:3:'
sol anomalies --data "$R/short_sen.csv" --period-field period --value-field value --threshold -1
expect_exit 2; expect_err 'expected a positive z'
sol anomalies --data "$R/short_sen.csv" --period-field period
expect_exit 2; expect_err 'value-field'
sol anomalies --help; expect_exit 0; expect_out 'robust z'
# STL as R's stl (periodic and a numeric window, robust)
S=$TOP/tests/data/time_stl
sol anomalies --data "$S/co2_periodic.csv" --period-field period --value-field value --method stl
expect_exit 0; cut -d, -f2- "$T/out" >"$T/got.csv"
[ "$(close_cols "$T/got.csv" 4 "$S/expected_co2_periodic.csv" 2 1e-8)" = 468 ] || fail "stl seasonal"
[ "$(close_cols "$T/got.csv" 3 "$S/expected_co2_periodic.csv" 3 1e-8)" = 468 ] || fail "stl trend"
sol anomalies --data "$S/nottem_odd_sw7_robust.csv" --period-field period --value-field value --method stl --s-window 7 --robust
expect_exit 0; cut -d, -f2- "$T/out" >"$T/got.csv"
[ "$(close_cols "$T/got.csv" 5 "$S/expected_nottem_odd_sw7_robust.csv" 4 1e-7)" = 239 ] || fail "robust stl remainder"
sol anomalies --data "$S/co2_periodic.csv" --period-field period --value-field value --method stl --s-window 8
expect_exit 2; expect_err 'odd span'
sol anomalies --data "$S/co2_periodic.csv" --period-field period --value-field value --robust
expect_exit 2; expect_err 'go with --method stl'
sol anomalies --data "$S/co2_periodic.csv" --period-field period --value-field value --method stl --multiplicative
expect_exit 2; expect_err 'STL is additive'
# the same output on 1 and 2 threads
OMP_NUM_THREADS=1 "$SOLIDATA" --quiet anomalies --data "$R/ukgas_additive.csv" --period-field period --value-field value --method stl --robust >"$T/t1.csv"
OMP_NUM_THREADS=2 "$SOLIDATA" --quiet anomalies --data "$R/ukgas_additive.csv" --period-field period --value-field value --method stl --robust >"$T/t2.csv"
cmp -s "$T/t1.csv" "$T/t2.csv" || fail "anomalies differ between 1 and 2 threads"
