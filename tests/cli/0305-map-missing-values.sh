# map: suppressed values (empty cells) and areas without a row are 'no data': hatched, counted in
# the legend, left out of the classes. Jenks counts match R classInt (expected_counts.csv).
GEO="$DATA/lazio_municipalities.geojson"
sol --quiet map --geo "$GEO" --id-field istat_code --data "$DATA/lazio_irpef_income.csv" \
    --var pct_self_employed --period-field year --period 2021 --classes jenks --out "$T/se.svg"
expect_exit 0
[ "$(grep -c 'data-class="nodata" fill="url(#nodata)"' "$T/se.svg")" = 72 ] || fail "72 no data"
counts=$(grep -o 'text-anchor="end">[0-9]*</text>' "$T/se.svg" | grep -o '[0-9]*' | tr '\n' ' ')
[ "$counts" = "11 56 101 112 26 72 " ] || fail "legend counts (high to low, then no data): $counts"
grep -q '>No data</text>' "$T/se.svg" || fail "no 'No data' legend row"
# a data file covering only some areas
head -n 11 "$TOP/tests/data/classint_lazio/lazio_irpef_2021.csv" >"$T/ten.csv"
sol map --geo "$GEO" --id-field istat_code --data "$T/ten.csv" --var mean_taxable_income_eur \
    --classes sd --out "$T/ten.svg"
expect_exit 0; expect_err "368 without data \(368 without a row\)"
grep -q 'Standard deviations' "$T/ten.svg" || fail "sd subtitle"
