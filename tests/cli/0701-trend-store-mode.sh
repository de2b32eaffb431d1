# trend and changepoints in store mode: one indicator over every area of the store; short series
# are skipped with a warning, gaps are reported.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol trend --indicator 01SAL001
expect_exit 0
expect_out '^01,10,'
expect_err "series '15' has 1 gap \(first 2022\)"
[ "$(tail -n +2 "$T/out" | wc -l)" -ge 19 ] || fail "expected a row per region"
sol changepoints --indicator 01SAL001 --method pettitt --out "$T/c.csv"
expect_exit 0
grep -q '^15,pettitt,' "$T/c.csv" || fail "no row for region 15"
sol trend --indicator NOPE
expect_exit 1; expect_err "no indicator 'NOPE' in the store"
# store mode records each run with its method card
sol trend --indicator 04BEC006P --out "$T/t.csv"
expect_exit 0; expect_err "time.trend: run [0-9]+ recorded"
id=$(grep -oE 'run [0-9]+ recorded' "$T/err" | grep -oE '[0-9]+')
sol runs show "$id"
expect_exit 0; expect_out 'time.trend'; expect_out 'Mann-Kendall'; expect_out "\"indicator\": \"04BEC006P\""
