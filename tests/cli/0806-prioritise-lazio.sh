# prioritise: rankings, a budget allocation with reasons, JSON with the allocation and sensitivity
O=$TOP/examples/data/lazio_options.csv
sol prioritise --options "$O" --budget 400000 --area-min 060019=1
expect_exit 0; expect_out '^option,cost,wsum,rank_wsum,topsis,rank_topsis,benefit,chosen,why$'
expect_out 'chosen: need-weighted benefit'; expect_err 'budget binds|budget does not bind'
expect_err 'weight of family'
sol prioritise --options "$O" --budget 400000 --json
expect_exit 0; expect_out '"allocation"'; expect_out '"sensitivity"'; expect_out '"binding"'
