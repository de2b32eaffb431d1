# Bad disclosure-control options: an unknown count indicator or a bad k leaves the store unchanged
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
snapshot
sed 's/^P6,2023,5/P6,2023,7/' "$T/counts.csv" >"$T/c2.csv"
sol import data "$T/c2.csv" --source counts.csv --area-field code --period-field year --count-indicators poor,nope
expect_exit 1; expect_err "count-indicators: no indicator 'nope'"; expect_err "c2.csv"
expect_unchanged
sol import data "$T/c2.csv" --source counts.csv --area-field code --period-field year --min-cell 0
expect_exit 2; expect_err "min-cell 0: expected a whole number"
sol import data "$T/c2.csv" --source counts.csv --area-field code --period-field year --min-cell 1x
expect_exit 2
expect_unchanged
sol export areas --unsuppressed; expect_exit 2; expect_err "applies to 'export data' only"
expect_unchanged
# a count of persons cannot be negative: refused at its line and column, the store unchanged
sed 's/^P2,2023,30,/P2,2023,-3,/' "$T/counts.csv" >"$T/neg.csv"
sol import data "$T/neg.csv" --source counts.csv --area-field code --period-field year
expect_exit 1; expect_err "neg.csv:5:9: column 'poor' is a count of persons, which cannot be negative; found '-3'"
expect_unchanged
printf 'code,year,newcount\nP1,2023,-1\n' >"$T/neg2.csv"
sol import data "$T/neg2.csv" --area-field code --period-field year --count-indicators newcount
expect_exit 1; expect_err "is a count of persons, which cannot be negative"; expect_unchanged
