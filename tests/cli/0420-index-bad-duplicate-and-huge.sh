# index --data: a second row of an area (at a period) is an error naming both lines, never a
# second ranked row; a value so large that the normalisation overflows (|x| > 1e300, e.g.
# -1.7e308, which turned into a missing value ranked first) or one that is not finite is an error
# at file:line:column; nothing is written.
printf 'id,a,b\nA,1,2\nB,2,3\nC,3,1\nA,9,9\n' >"$T/dup.csv"
sol index --data "$T/dup.csv" --id-field id --indicators a,b --method zscore-mean
expect_exit 1; expect_err "dup.csv:5: area A has a second row \(the first is line 2\)"
[ -s "$T/out" ] && fail "rows written despite the duplicate"
printf 'id,y,a,b\nA,2020,1,2\nA,2021,2,3\nB,2020,2,1\nB,2021,4,1\nA,2020,9,9\n' >"$T/dupp.csv"
sol index --data "$T/dupp.csv" --id-field id --period-field y --indicators a,b --method mpi
expect_exit 1; expect_err "dupp.csv:6: area A, period 2020 has a second row \(the first is line 2\)"
# the same area at other periods is fine
head -n 5 "$T/dupp.csv" >"$T/okp.csv"
sol index --data "$T/okp.csv" --id-field id --period-field y --indicators a,b --method mpi
expect_exit 0; expect_lines 5
for v in -1.7e308 1.7e308 2e300; do
    printf 'id,a,b\nA,1,2\nB,2,3\nC,3,1\nD,%s,2\n' "$v" >"$T/big.csv"
    for m in zscore-mean mpi minmax-mean; do
        sol index --data "$T/big.csv" --id-field id --indicators a,b --method $m
        expect_exit 1; expect_err "big.csv:5:3: $v is too large for an index \(column a\)"
        [ -s "$T/out" ] && fail "$m: a ranking of $v was written"
    done
done
printf 'id,a,b\nA,1,2\nB,2,1e400\nC,3,1\n' >"$T/inf.csv"
sol index --data "$T/inf.csv" --id-field id --indicators a,b --method mpi
expect_exit 1; expect_err 'inf.csv:3:5: "1e400" is not a finite number \(column b\)'
# 1e300 itself is still a value
printf 'id,a,b\nA,1,2\nB,2,3\nC,1e300,1\n' >"$T/edge.csv"
sol index --data "$T/edge.csv" --id-field id --indicators a,b --method minmax-mean
expect_exit 0; expect_lines 4
