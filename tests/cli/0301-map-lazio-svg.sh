# map: the Lazio low-income share (tax year 2021) as an SVG choropleth, quantile classes.
# Class counts are R classInt's (tests/data/classint_lazio/expected_counts.csv).
GEO="$DATA/lazio_municipalities.geojson"
sol --quiet map --geo "$GEO" --id-field istat_code --name-field name \
    --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k --period-field year --period 2021 \
    --title "Low incomes <2021> & need" --source "MEF - Dipartimento delle Finanze" \
    --licence "CC BY 4.0" --out "$T/low.svg"
expect_exit 0
[ ! -s "$T/err" ] || fail "stderr not empty with --quiet"
[ "$(grep -c '<path ' "$T/low.svg")" = 378 ] || fail "expected 378 areas"
grep -q 'role="img"' "$T/low.svg" || fail "no role=img"
grep -q 'aria-label="Low incomes &lt;2021&gt; &amp; need"' "$T/low.svg" || fail "title not escaped"
grep -q 'data-code="058091" data-value="26.73" data-class="1"' "$T/low.svg" || fail "Roma 2021"
grep -q '<title>Roma: 26.73</title>' "$T/low.svg" || fail "hover title"
grep -q 'Source: MEF - Dipartimento delle Finanze' "$T/low.svg" || fail "source line"
# legend counts per class = R classInt findCols counts (76, 75, 76, 75, 76)
counts=$(grep -o 'text-anchor="end">[0-9]*</text>' "$T/low.svg" | grep -o '[0-9]*' | tr '\n' ' ')
[ "$counts" = "76 75 76 75 76 " ] || fail "legend counts: $counts"
for c in 1 2 3 4 5; do
    n=$(grep -c "data-class=\"$c\" fill=" "$T/low.svg")
    [ "$n" -gt 70 ] || fail "class $c has $n areas"
done
# without --quiet, one summary line on stderr
sol map --geo "$GEO" --id-field istat_code --data "$DATA/lazio_irpef_income.csv" \
    --var mean_taxable_income_eur --period-field year --period 2020 --classes equal -k 4 \
    --palette Blues --thousands , --out "$T/inc.svg"
expect_exit 0
expect_err "map of 378 areas, 4 equal classes, 0 without data"
grep -q '2020 · Equal intervals, 4 classes' "$T/inc.svg" || fail "subtitle"
grep -qE '>[0-9]{1,2},[0-9]{3} – [0-9]{1,2},[0-9]{3}</text>' "$T/inc.svg" || fail "thousands separator"
