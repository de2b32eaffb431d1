# evaluate did with unit and time fields: two-way FE, event study, pre-test (R: F 2.11948560866063)
sol evaluate did --data "$TOP/tests/data/did_jtrain/jtrain_g89.csv" --outcome lscrap --treated tr \
    --post post --unit-field fcode --time-field year --se cluster --json
expect_exit 0; expect_out '"design": "two-way fixed effects"'; expect_out '"F": 2\.119485608'
expect_out '"rel": -2'; expect_out '"n_clusters": 35'
