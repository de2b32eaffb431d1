# forecast gives identical output on 1 and 2 threads: 80 monthly series of three lengths (the
# reference series, rescaled and perturbed), so that blocks, lanes of four and length groups
# all come into play.
R=$TOP/tests/data/time_ets
awk -F, 'NR == 1 { print; next } { for (k = 0; k < 20; k++) {
    v = $3 * (1 + k / 37) + ((NR * 7 + k * 13) % 11 - 5) * $3 / 400
    printf "%s_%02d,%s,%.10g\n", $1, k, $2, v } }' "$R/inputs_12.csv" >"$T/many.csv"
for t in 1 2; do
    OMP_NUM_THREADS=$t sol forecast --data "$T/many.csv" --id-field id --period-field period --value-field value --horizon 12 --json --out "$T/f$t.json"
    expect_exit 0
done
[ "$(grep -c '"model": "ETS' "$T/f1.json")" = 80 ] || fail "expected 80 series"
cmp -s "$T/f1.json" "$T/f2.json" || fail "1 and 2 threads differ"
