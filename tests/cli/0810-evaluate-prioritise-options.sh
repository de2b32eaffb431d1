# evaluate and prioritise on the option tables: generated help, usage errors (exit 2) for values
# to change, and a recorded prioritisation whose method card keeps the budget as written
K=$TOP/tests/data/did_kielmc/kielmc.csv
O=$TOP/examples/data/lazio_options.csv
sol evaluate did --help
expect_exit 0; expect_out '^usage: solidata evaluate did'; expect_out '--treatment-start P'
sol evaluate synth --help
expect_exit 0; expect_out '--spec S\.json'; expect_out '\[required\]'
sol prioritise --help
expect_exit 0; expect_out '--area-min AREA=N'
sol evaluate
expect_exit 2; expect_err 'did'
sol evaluate did --data "$K" --outcome rprice --treated nearinc --post y81 --se robust
expect_exit 2; expect_err 'expected classical, hc1 or cluster'
sol evaluate did --data "$K" --outcome rprice --treated nearinc --post y81 --time-field year
expect_exit 2; expect_err '--time-field needs --unit-field'
sol evaluate did --data "$K" --outcome rprice --treated nearinc
expect_exit 2; expect_err 'are required'
sol evaluate did --treated-areas 15 --treatment-start 2020 --data "$K"
expect_exit 2; expect_err '--treated-areas needs --indicator'
sol evaluate did --indicator X --treated-areas , --treatment-start 2020
expect_exit 2; expect_err '--treated-areas must list 1 to'
sol evaluate synth --data x.csv --unit-field u --time-field t --outcome y --treated A --spec s.json \
    --treatment-start soon
expect_exit 2; expect_err 'treatment-start soon: expected a period number'
[ ! -e "$DB" ] || fail "a usage error opened the store"
sol prioritise --options "$O" --area-min 060019
expect_exit 2; expect_err "--area-min takes AREA=N pairs, found '060019'"
sol prioritise --options "$O" --budget 4e5 --record --json
expect_exit 0; expect_out '"run_id": 1'; expect_err 'recorded run 1'
sol runs show 1
expect_exit 0; expect_out '"budget": "4e5"'; expect_out 'TOPSIS'
