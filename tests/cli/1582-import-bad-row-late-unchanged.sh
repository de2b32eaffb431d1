# A bad row late in a big file leaves the store unchanged, read by one thread or two, and the
# import stops at the same message whatever the thread count: the first problem in the file, the
# areas' before the cells' (as when the area column was matched in a pass of its own).
with_regions
awk 'BEGIN { print "reg_code,year,indicator,value";
  for (i = 0; i < 100; i++) for (a = 1; a <= 20; a++) for (y = 2000; y < 2025; y++)
    printf "%02d,%d,ind%03d,%d\n", a, y, i, i + a + y }' >"$T/obs.csv"
snapshot
# a second value on the last line (50,002): found by the writer thread, named at its line
{ cat "$T/obs.csv"; echo "05,2003,ind042,1"; } >"$T/dup.csv"
# not a number on the last line, read by the reading thread while the writer writes
{ cat "$T/obs.csv"; echo "05,2031,ind042,12x"; } >"$T/nan.csv"
# a duplicate early and a bad number later: the duplicate comes first in the file
{ head -n 5001 "$T/obs.csv"; echo "01,2000,ind000,5"; tail -n +5002 "$T/obs.csv"; echo "05,2031,ind042,12x"; } >"$T/both.csv"
# an unknown area on the last line and a bad number before it: the areas are checked first
{ head -n 30001 "$T/obs.csv"; echo "05,2031,ind042,12x"; tail -n +30002 "$T/obs.csv"; echo "99,2031,ind042,1"; } >"$T/area.csv"
for t in 1 2; do
    export OMP_NUM_THREADS=$t
    sol import data "$T/dup.csv" --area-field reg_code --period-field year
    expect_exit 1; expect_err "dup.csv:50002:16: a second value for the same"; expect_unchanged
    sol import data "$T/nan.csv" --area-field reg_code --period-field year
    expect_exit 1; expect_err "nan.csv:50002:16: expected a number in column 'value', found '12x'"
    expect_unchanged
    sol import data "$T/both.csv" --area-field reg_code --period-field year
    expect_exit 1; expect_err "both.csv:5002:16: a second value for the same"; expect_unchanged
    sol import data "$T/area.csv" --area-field reg_code --period-field year
    expect_exit 1; expect_err "'99'"; expect_unchanged
    grep -q "12x" "$T/err" && fail "the bad number was reported before the unknown area"
done
# and the file without its bad row imports (the store did change then)
OMP_NUM_THREADS=2 sol import data "$T/obs.csv" --area-field reg_code --period-field year
expect_exit 0; expect_err "50000 observations written"
[ "$(store_sql 'SELECT count(*) FROM observation')" = 50000 ] || fail "not every value written"
