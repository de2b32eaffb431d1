# A preview lists every cell the import would stop at (a word where a number belongs, a second
# value for the same area and year, a bad period, a negative count), each with its line and
# column, not only the first; past 20 it counts the rest. Nothing is written; the import itself
# still stops at the first.
with_regions; snapshot
printf 'code,year,helped\n01,2023,12\n01,2023,13\n02,2023,abc\n03,20x3,4\n04,2023,\n05,2023,7\n' >"$T/f.csv"
sol import data "$T/f.csv" --area-field code --period-field year --preview
expect_exit 0; expect_unchanged
expect_err "the import would write 2 values"
expect_err "f.csv:4:9: expected a number in column 'helped', found 'abc'"
expect_err "f.csv:3:9: a second value for the same \(area, period, indicator\)"
expect_err "f.csv:5:4: '20x3' is not a period"
expect_err "indicator helped \(new\): 2 values"
sol import data "$T/f.csv" --area-field code --period-field year --preview --json
expect_exit 0; expect_unchanged
jq -e '(.ok | not) and .values == 2 and (.problems | length) == 3 and .indicators[0].values == 2' "$T/out" >/dev/null ||
    fail "preview JSON: $(cat "$T/out")"
# the import stops at the first bad cell and writes nothing
sol import data "$T/f.csv" --area-field code --period-field year
expect_exit 1; expect_unchanged
expect_err "f.csv:4:9: column 'helped' holds numbers, but this cell holds 'abc'"
# a negative count of persons
printf 'code,year,helped\n01,2023,-3\n02,2023,5\n' >"$T/n.csv"
sol import data "$T/n.csv" --area-field code --period-field year --count-indicators helped --preview
expect_exit 0; expect_unchanged
expect_err "n.csv:2:9: column 'helped' is a count of persons, which cannot be negative"
# 30 bad cells among 70: 20 listed, then a count
{ echo 'code,year,helped'; for i in $(seq 1 30); do echo "01,$((1990 + i)),x$i"; done
  for i in $(seq 1 40); do echo "02,$((1980 + i)),$i"; done; } >"$T/many.csv"
sol import data "$T/many.csv" --area-field code --period-field year --preview --json
expect_exit 0; expect_unchanged
jq -e '(.problems | length) == 21 and (.problems[20] | test("10 more cells")) and .values == 40' "$T/out" >/dev/null ||
    fail "cap: $(jq -c .problems "$T/out")"
# in French
sol --lang fr import data "$T/many.csv" --area-field code --period-field year --preview
expect_exit 0; expect_err "et 10 autres cellules"
