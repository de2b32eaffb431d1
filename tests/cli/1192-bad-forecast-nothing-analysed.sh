# An analysis that analysed nothing is an error, not a run: a forecast whose every series is too
# short exits 1 with a clear message and records nothing (no run listed, no audit row, the store
# unchanged); the same command on long enough series records its run.
with_regions
printf 'code,year,x\n01,2021,5\n01,2022,6\n01,2023,7\n12,2021,8\n12,2022,9\n12,2023,9.5\n' >"$T/short.csv"
sol import data "$T/short.csv" --area-field code --period-field year; expect_exit 0
snapshot
sol forecast --indicator x --horizon 2 --out "$T/f.csv"
expect_exit 1; expect_err "no series (of 'x' )?could be (analysed|forecast)"; expect_err "too short"
expect_unchanged
sol runs; expect_exit 0; expect_lines 1
sol trend --indicator x; expect_exit 0 # three points are enough for a trend test
sol runs; expect_exit 0; expect_lines 2; expect_out ',time.trend,'
grep -q 'time.forecast' "$T/out" && fail "a failed forecast is listed"
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol forecast --indicator 04BEC006P --horizon 2 --out "$T/g.csv"; expect_exit 0
expect_err "time.forecast: run [0-9]+ recorded"
