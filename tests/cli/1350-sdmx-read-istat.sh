# sdmx read: ISTAT's population message (SDMX-ML 2.1 structure-specific, as recorded) as a long CSV;
# the values and statuses are those rsdmx reads (tests/data/sdmx/reference/istat_22_289.csv).
S=$TOP/tests/data/sdmx
sol sdmx read "$S/ISTAT/22_289.xml"
expect_exit 0
expect_lines 9
expect_out '^FREQ,REF_AREA,DATA_TYPE,SEX,AGE,MARITAL_STATUS,TIME_PERIOD,OBS_VALUE,OBS_STATUS$'
# every row of the reference (quotes removed) is in the output
tr -d '"' <"$S/reference/istat_22_289.csv" | tail -n +2 | while IFS= read -r row; do
    grep -qxF "$row" "$T/out" || fail "missing row: $row"
done
expect_out '^A,IT,JAN,2,TOTAL,99,2022,30235705,e$'
