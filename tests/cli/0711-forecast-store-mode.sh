# forecast in store mode: one indicator over every area of the store (annual BES series, 10
# years, to 2023); the run is recorded with its result in the shape the dashboard reads.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol forecast --indicator 04BEC006P --horizon 3 --out "$T/f.csv"
expect_exit 0; expect_err "time.forecast: run [0-9]+ recorded"
head -n 1 "$T/f.csv" | grep -qx 'id,period,mean,lo80,hi80,lo95,hi95' || fail "header: $(head -n 1 "$T/f.csv")"
grep -q '^01,2024,' "$T/f.csv" && grep -q '^01,2026,' "$T/f.csv" || fail "no 2024-2026 rows for region 01 (data end in 2023)"
[ "$(grep -c ',2024,' "$T/f.csv")" -ge 19 ] || fail "expected a forecast per region"
# the same series, fitted by R (tests/data/time_ets: bes_04BEC006P_15 is region 15 of this file)
R=$TOP/tests/data/time_ets
want=$(awk -F, '$1 == "bes_04BEC006P_15:auto" && $2 == 1 { print $3 }' "$R/forecasts.csv")
got=$(awk -F, '$1 == "15" && $2 == "2024" { print $3 }' "$T/f.csv")
awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-8 * b) }' || fail "region 15: $got, R $want"
id=$(grep -oE 'run [0-9]+ recorded' "$T/err" | grep -oE '[0-9]+')
sol runs show "$id"
expect_exit 0; expect_out 'time.forecast'; expect_out 'AICc'; expect_out 'multiplicative'
store_sql "SELECT result FROM run WHERE id = $id" >"$T/result.json"
python3 - "$T/result.json" <<'PY' || fail "run result shape"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["indicator"] == "04BEC006P" and r["frequency"] == 1 and r["horizon"] == 3, r.keys()
s = r["series"][0]
assert list(s) == ["id", "model", "alpha", "beta", "gamma", "phi", "sigma2", "aicc", "forecast"], list(s)
assert s["model"].startswith("ETS("), s["model"]
f = s["forecast"][0]
assert list(f) == ["period", "mean", "lo80", "hi80", "lo95", "hi95"] and f["period"] == "2024", f
assert f["lo95"] <= f["lo80"] <= f["mean"] <= f["hi80"] <= f["hi95"], f
PY
# an annual series with a gap is filled by linear interpolation first, as ets(na.action =
# "na.interp"), and said; R's fit of region 15 is in tests/data/time_ets
sol forecast --indicator 01SAL001 --horizon 2
expect_exit 0
expect_err "series '15' has 1 gap \(first 2022\)"
expect_err "series '15': gaps filled by linear interpolation"
want=$(awk -F, '$1 == "bes_01SAL001_15_gap:auto" && $2 == 2 { print $7 }' "$R/forecasts.csv")
got=$(awk -F, '$1 == "15" && $2 == "2026" { print $7 }' "$T/out")
awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-8 * b) }' || fail "region 15 hi95: $got, R $want"
