# evaluate did: the 2x2 estimate of Wooldridge Example 13.3 (R lm: -21920.2699510366, HC1 se
# 7725.33493812792), CSV and JSON; --record stores a run with its method card
K=$TOP/tests/data/did_kielmc/kielmc.csv
sol evaluate did --data "$K" --outcome rprice --treated nearinc --post y81 --controls age,agesq --se hc1
expect_exit 0; expect_out '^nearinc:y81,-21920\.2699510365'; expect_out ',7725\.33493812'
sol evaluate did --data "$K" --outcome rprice --treated nearinc --post y81 --json --record
expect_exit 0; expect_out '"estimate": -11863\.903252112'; expect_out '"coefficients"'; expect_out '"run_id": 1'
sol runs show 1
expect_exit 0; expect_out 'difference-in-differences'
