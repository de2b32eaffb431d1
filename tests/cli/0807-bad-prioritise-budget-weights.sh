# an infeasible budget names the smallest feasible one; weights must sum to a positive number
O=$TOP/examples/data/lazio_options.csv
sol prioritise --options "$O" --budget 40000 --area-min 060019=1
expect_exit 1; expect_err 'infeasible budget: 40000 .*smallest feasible budget is 60000'
sol prioritise --options "$O" --weights family=0,cost=0
expect_exit 1; expect_err 'the weights sum to 0: they must sum to a positive number'
sol prioritise --options "$O" --weights joy=1
expect_exit 1; expect_err "unknown criterion 'joy'"
printf 'option,cost,areas\na,lots,X\n' >"$T/o.csv"
sol prioritise --options "$T/o.csv"
expect_exit 1; expect_err 'o\.csv:2:3: .lots. in column .cost. is not a number'
sol prioritise --options "$O" --budget -5
expect_exit 2; expect_err 'budget must be a number'
