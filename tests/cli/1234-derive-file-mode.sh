# derive from a file (no store): a rate and a coverage computed from two columns of one CSV,
# printed as CSV (id,period,value,se,lo95,hi95); missing or zero denominators counted and said;
# bad files refused with file:line:col.
printf 'code,year,helped,pop,need,need_se\nA,2023,12,4000,300,40\nB,2023,5,,100,\nC,2023,30,0,20,5\nD,2023,,1000,50,\nA,2024,15,4100,310,40\n' >"$T/f.csv"
snapshot
sol derive rate --data "$T/f.csv" --id-field code --period-field year --numerator helped --denominator pop
expect_exit 0
head -n 1 "$T/out" | grep -qx 'id,period,value,se,lo95,hi95' || fail "header"
expect_out '^A,2023,3,,,$'
awk -F, '$1 == "A" && $2 == 2024 { d = $3 - 15 / 4100 * 1000; exit !(d < 1e-12 && d > -1e-12) } END { }' "$T/out" || fail "A 2024"
expect_lines 3
expect_err "1 value of 'helped' has no population value for its area and period: left missing"
expect_err "1 value of 'helped' has a population of 0 for its area and period: left missing"
sol derive coverage --data "$T/f.csv" --id-field code --period-field year --helped helped --need need --se-field need_se
expect_exit 0
expect_out '^A,2023,4,0.5333333333333333[0-9]*,3.17125943069418[0-9]*,5.41512725120963[0-9]*$'
expect_out '^B,2023,5,,,$'
expect_out '^C,2023,150,37.5,'
expect_err "1 coverage is above 100%"
[ -e "$DB" ] && expect_unchanged
# bad input
sol derive coverage --data "$T/f.csv" --id-field code --helped helped --need nope
expect_exit 1; expect_err "f.csv:1: --need nope: no such column"
sol derive rate --data "$T/f.csv" --numerator helped --denominator pop
expect_exit 2; expect_err "--data needs --id-field"
sol derive rate --data "$T/f.csv" --id-field code --numerator helped --denominator pop
expect_exit 1; expect_err "f.csv:6: area 'A' period '' appears twice"
printf 'code,helped,pop\nA,x,3\n' >"$T/g.csv"
sol derive rate --data "$T/g.csv" --id-field code --numerator helped --denominator pop
expect_exit 1; expect_err "g.csv:2:3: 'x' is not a number \(column helped\)"
sol derive coverage --helped helped --need need --se-field need_se
expect_exit 2; expect_err "--se-field goes with --data"
