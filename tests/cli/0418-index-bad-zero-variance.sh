# Bad spec: an indicator with zero variance at the period asked; refused before any work, nothing
# recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
printf 'reg_code,year,flat\n' >"$T/f.csv"
for r in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
    printf '%s,2019,5\n' "$r" >>"$T/f.csv"
done
sol import data "$T/f.csv" --area-field reg_code --period-field year; expect_exit 0
sol index --indicators 01SAL001,flat:+ --period 2019 --method mpi
expect_refused 'indicator "flat" has zero variance'
