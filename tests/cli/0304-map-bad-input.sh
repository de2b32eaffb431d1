# map: every bad input gets a clear message; data errors exit 1, usage errors exit 2.
GEO="$DATA/lazio_municipalities.geojson"
base=(--geo "$GEO" --id-field istat_code)
printf 'istat_code,v\n056001,1\n999999,2\n' >"$T/unknown.csv"
sol map "${base[@]}" --data "$T/unknown.csv" --var v --out "$T/m.svg"
expect_exit 1; expect_err "unknown.csv:3:1: unknown area '999999'"
printf 'istat_code,v\n056001,1\n056002,abc\n' >"$T/nan.csv"
sol map "${base[@]}" --data "$T/nan.csv" --var v --out "$T/m.svg"
expect_exit 1; expect_err "nan.csv:3:8: expected a number in column 'v', found 'abc'"
sol map "${base[@]}" --data "$T/missing.csv" --var v --out "$T/m.svg"
expect_exit 1; expect_err "missing.csv"
sol map --geo "$T/missing.geojson" --id-field istat_code --data "$T/nan.csv" --var v --out "$T/m.svg"
expect_exit 1; expect_err "missing.geojson"
sol map "${base[@]}" --data "$T/nan.csv" --var nope --out "$T/m.svg"
expect_exit 1; expect_err "no column 'nope'"
# several years per area need a period filter
sol map "${base[@]}" --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k --out "$T/m.svg"
expect_exit 1; expect_err "lazio_irpef_income.csv:3: area '056001' appears again \(first at line 2\).*--period-field"
sol map "${base[@]}" --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k \
    --period-field year --period 2019 --out "$T/m.svg"
expect_exit 1; expect_err "no row has year = '2019'"
ok=(--data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k --period-field year --period 2021)
sol map "${base[@]}" "${ok[@]}" --palette Rainbow --out "$T/m.svg"
expect_exit 1; expect_err "unknown palette 'Rainbow'; known: .*YlOrRd"
sol map "${base[@]}" "${ok[@]}" --classes fisher --out "$T/m.svg"
expect_exit 1; expect_err "unknown classification 'fisher'"
sol map "${base[@]}" "${ok[@]}" --palette YlOrRd -k 12 --out "$T/m.svg"
expect_exit 1; expect_err "YlOrRd has at most 9 classes"
sol map "${base[@]}" "${ok[@]}" --out "$T/m.jpg"
expect_exit 2; expect_err "expected a name ending in .svg, .png or .pdf"
sol map "${base[@]}" "${ok[@]}"
expect_exit 2; expect_err "--out"
sol map "${base[@]}" "${ok[@]}" -k 1 --out "$T/m.svg"
expect_exit 2; expect_err "-k 1"
sol map "${base[@]}" --out "$T/m.svg"
expect_exit 2; expect_err "either --data"
sol map "${base[@]}" "${ok[@]}" --bogus --out "$T/m.svg"
expect_exit 2
[ ! -e "$T/m.svg" ] || fail "a failed map left a file"
sol map --help
expect_exit 0; expect_out "--period-field"
sol map --palettes
expect_exit 0; expect_out "^viridis,sequential,256$"
