# every row after the change: no before, so no difference-in-differences
printf 'y,tr,post\n1,1,1\n2,0,1\n3,1,1\n4,0,1\n' >"$T/d.csv"
sol evaluate did --data "$T/d.csv" --outcome y --treated tr --post post
expect_exit 1; expect_err 'no pre-treatment periods'
printf 'y,tr,post\n1,1,0\n2,0,1\n3,yes,1\n' >"$T/e.csv"
sol evaluate did --data "$T/e.csv" --outcome y --treated tr --post post
expect_exit 1; expect_err 'e\.csv:4:3: .yes. in column .tr. is not a number'
sol evaluate did --data "$T/e.csv" --outcome z --treated tr --post post
expect_exit 1; expect_err "no column named 'z'"
sol evaluate did --data "$T/e.csv" --outcome y --treated tr --post post --se cluster
expect_exit 2; expect_err 'needs --unit-field'
