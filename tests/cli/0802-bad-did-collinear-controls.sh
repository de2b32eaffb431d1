# a control that is the interaction itself: named, and the fix said
sol evaluate did --data "$TOP/tests/data/did_kielmc/kielmc.csv" --outcome rprice --treated nearinc --post y81 --controls age,y81nrinc
expect_exit 1; expect_err "collinear regressors: 'y81nrinc' is a linear combination of"; expect_err 'drop it'
