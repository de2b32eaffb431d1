# The parallel microdata reader and estimators give byte-identical output on 1 and 3 threads and
# the same as the streaming reader; a quoted field or a bad value deep in a large file falls back
# to the streaming reader, whose message names the line and column.
E="$TOP/tests/data/poverty_eusilc/eusilc.csv"
args=(--weight rb050 --income eqIncome --by db040 --strata db040 --psu db030)
OMP_NUM_THREADS=1 sol poverty --microdata "$E" "${args[@]}"; expect_exit 0; cp "$T/out" "$T/one"
OMP_NUM_THREADS=3 sol poverty --microdata "$E" "${args[@]}"; expect_exit 0
cmp -s "$T/one" "$T/out" || fail "1 and 3 threads differ"
SOL_MICRODATA_STREAM=1 sol poverty --microdata "$E" "${args[@]}"; expect_exit 0
cmp -s "$T/one" "$T/out" || fail "the streaming reader differs"
# a file of several chunks (about 9 MB) with a quoted area code near the end
awk 'BEGIN { srand(3); print "area,w,inc"
    for (i = 0; i < 400000; i++) printf "A%03d,%.2f,%.2f\n", int(rand() * 50), 1 + rand(), 5000 + 30000 * rand() }' >"$T/big.csv"
sol poverty --microdata "$T/big.csv" --weight w --income inc --by area; expect_exit 0; cp "$T/out" "$T/plain"
awk 'NR == 390000 { sub(/^A[0-9]+/, "\"&\"") } { print }' "$T/big.csv" >"$T/quoted.csv"
sol poverty --microdata "$T/quoted.csv" --weight w --income inc --by area; expect_exit 0
cmp -s "$T/plain" "$T/out" || fail "a quoted code changed the result"
awk 'NR == 390001 { sub(/,[0-9.]+$/, ",12x4") } { print }' "$T/big.csv" >"$T/bad.csv"
sol poverty --microdata "$T/bad.csv" --weight w --income inc --by area; expect_exit 1
expect_err 'bad.csv:390001:[0-9]+.*income.*not a number'
