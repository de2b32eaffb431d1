# forecast gives identical output on 1 and 2 threads (each series is fitted alone).
R=$TOP/tests/data/time_ets
for t in 1 2; do
    OMP_NUM_THREADS=$t sol forecast --data "$R/inputs_12.csv" --id-field id --period-field period --value-field value --horizon 12 --json --out "$T/f$t.json"
    expect_exit 0
done
cmp -s "$T/f1.json" "$T/f2.json" || fail "1 and 2 threads differ"
