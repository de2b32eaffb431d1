# The demo's spec (examples/bes-wellbeing.json) in store mode: 20 regions x 2 years with rank
# intervals, and the Monte Carlo gives the same figures, to the last digit, on 1 and 2 threads.
. "$TOP/tests/cli/index_lib.sh"
with_bes
OMP_NUM_THREADS=1 sol index --spec "$TOP/examples/bes-wellbeing.json"
expect_exit 0
cp "$T/out" "$T/one.csv"
expect_lines 41
head -1 "$T/one.csv" | grep -q '^id,period,score,rank,Salute,Qualità dei servizi,' || fail "header"
OMP_NUM_THREADS=2 sol index --spec "$TOP/examples/bes-wellbeing.json"
expect_exit 0
cmp -s "$T/out" "$T/one.csv" || fail "1 and 2 threads differ"
# every rank interval holds its median rank
awk -F, 'NR > 1 && !($(NF-1) <= $(NF-2) && $(NF-2) <= $NF) { bad++ } END { exit bad > 0 }' \
    "$T/one.csv" || fail "a median rank outside its interval"
sol runs; expect_lines 3
