# trend and changepoints in file mode: the R reference series (tests/data/time_trend), one per id.
R=$TOP/tests/data/time_trend
sol trend --data "$R/annual.csv" --id-field id --period-field period --value-field value
expect_exit 0; expect_lines 7
expect_out '^id,n,s,var_s,z,p,tau,sen_slope,sen_lo,sen_hi$'
expect_out '^nile,100,-1387,112728.3333333333[0-9]*,-4.12806652284410[0-9]*,3.65826292166[0-9]*e-05,'
sol trend --data "$R/monthly.csv" --id-field id --period-field period --value-field value --seasonal --out "$T/s.csv"
expect_exit 0
grep -q '^ldeaths,72,-85,339,-4.56225375138597' "$T/s.csv" || fail "seasonal row: $(cat "$T/s.csv")"
# without --id-field the file is one series: here two ids share periods, so it is refused
sol trend --data "$R/annual.csv" --period-field period --value-field value
expect_exit 1; expect_err "annual.csv:102:[0-9]+: period 1871 appears twice \(first at line 2\); several series in one file need --id-field"
sol changepoints --data "$R/annual.csv" --id-field id --period-field period --value-field value --method pettitt
expect_exit 0; expect_out '^nile,pettitt,1898,1899,1617,3.591022176936[0-9]*e-07$'
sol changepoints --data "$R/annual.csv" --id-field id --period-field period --value-field value --method pelt --type meanvar --penalty mbic
expect_exit 0; expect_out '^nile,pelt,1874,1875,'; expect_out '^nile,pelt,1898,1899,'
sol changepoints --data "$R/annual.csv" --id-field id --period-field period --value-field value --method amoc --type var
expect_exit 0; expect_out '^nile,amoc,,,,$'
