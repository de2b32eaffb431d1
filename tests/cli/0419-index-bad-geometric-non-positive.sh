# Bad spec: a geometric mean over values that are not positive (raw values with a 0, and z-scores);
# refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
printf 'reg_code,year,zeroes\n' >"$T/z.csv"
for r in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
    printf '%s,2019,%s\n' "$r" "$((10#$r % 4))" >>"$T/z.csv"
done
sol import data "$T/z.csv" --area-field reg_code --period-field year; expect_exit 0
cat >"$T/spec.json" <<'JSON'
{"indicators": [{"code": "01SAL001", "polarity": "+"}, {"code": "zeroes", "polarity": "+"}],
 "normalisation": "none", "aggregation": "geometric", "periods": ["2019"]}
JSON
sol index --spec "$T/spec.json"
expect_refused 'geometric mean over non-positive values: "zeroes" has 0'
cat >"$T/spec2.json" <<'JSON'
{"indicators": [{"code": "01SAL001"}, {"code": "01SAL004"}],
 "normalisation": "zscore", "aggregation": "geometric", "periods": ["2019"]}
JSON
sol index --spec "$T/spec2.json"
expect_refused 'geometric mean over non-positive values: zscore gives values <= 0'
