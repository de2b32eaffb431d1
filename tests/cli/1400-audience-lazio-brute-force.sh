# An audience on real data (Lazio IRPEF 2021): municipalities whose share of pension recipients is
# in the top quarter (type-7 quantile, R's default) and whose share of taxpayers under 10,000 euros
# is above 30%, counting the pension recipients. The areas and the total are checked against a
# brute-force evaluation written here in awk over the CSV file itself; then the card, the list,
# publication, the places, the radii and the map.
with_regions
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators pension_income_n,taxpayers --min-cell 10
expect_exit 0
RULE='level municipality; within 12; pct_pension_recipients in top 25%; pct_income_0_10k > 30; people pension_income_n'
# brute force: the 2021 rows, the cut of the top quarter as R's quantile(x, 0.75), then the filter
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["year"] == 2021 && $c["pct_pension_recipients"] != "" { n++; v[n] = $c["pct_pension_recipients"] + 0;
        row[n] = $0 }
    END {
        # insertion sort (378 values)
        for (i = 1; i <= n; i++) s[i] = v[i]
        for (i = 2; i <= n; i++) { x = s[i]; j = i - 1; while (j > 0 && s[j] > x) { s[j + 1] = s[j]; j-- } s[j + 1] = x }
        h = (n - 1) * 0.75; lo = int(h); cut = s[lo + 1] + (h - lo) * (s[lo + 2] - s[lo + 1])
        for (i = 1; i <= n; i++) {
            split(row[i], f, ",")
            if (v[i] >= cut && f[c["pct_income_0_10k"]] > 30 && f[c["pension_income_n"]] != "")
                print f[1] "," f[c["pension_income_n"]]
        }
    }' "$DATA/lazio_irpef_income.csv" | sort >"$T/want"
[ "$(wc -l <"$T/want")" -gt 40 ] || fail "the brute force selects too few areas"
# k = 100 refuses the areas with fewer than 100 pension recipients; the smallest one is named
small=$(awk -F, '$2 < 100' "$T/want" | sort -t, -k2n | head -1 | cut -d, -f2)
snapshot
sol audience define winter --rule "$RULE"
expect_exit 1; expect_err "would pass only with k at most $small"
expect_unchanged
# --preview writes nothing
sol audience define winter --rule "$RULE" --drop-small --preview --json
expect_exit 0; expect_unchanged
jq -r '.areas[] | "\(.code),\(.people)"' "$T/out" | sort >"$T/got"
awk -F, '$2 >= 100' "$T/want" >"$T/want100"
diff "$T/got" "$T/want100" >/dev/null || fail "areas differ from the brute force: $(diff "$T/got" "$T/want100" | head)"
total=$(awk -F, '{ t += $2 } END { print t }' "$T/want100")
jq -e --argjson t "$total" '.people.estimate == $t and .people.low == $t and .people.high == $t' "$T/out" >/dev/null \
    || fail "total: $(jq -c .people "$T/out"), want $total"
jq -e '.quantiles[0].cut > 40 and (.excluded.dropped | length) > 0 and .k == 100 and .scope_areas == 378
    and (.rule_words.en | startswith("every municipality in Lazio where"))' "$T/out" >/dev/null || fail "card: $(jq -c '{quantiles, k, scope_areas, rule_words}' "$T/out")"
# defined for real: a draft with its run
sol audience define winter --rule "$RULE" --drop-small --purpose "Winter help desk for older people"
expect_exit 0; expect_err "defined as a draft"; expect_err "left out because they hold fewer than k = 100"
expect_err "recorded as run [0-9]+"
sol audience show winter
expect_exit 0; expect_out '^Audience card: winter \(draft\)'
expect_out 'among the highest 25% of these areas'; expect_out 'Purpose: Winter help desk'
expect_out 'MEF|lazio_irpef_income'
sol audience show winter --json
expect_exit 0
jq -e '.rule_text | test("Taxpayers receiving a pension")' "$T/out" >/dev/null || fail "rule_text: $(jq .rule_text "$T/out")"
sol audience list
expect_exit 0; expect_out "^winter,0,$(wc -l <"$T/want100"),$total,"
# publication, with its audit row; the run is published with it
sol audience publish winter
expect_exit 0; expect_err "published"
store_sql "SELECT published FROM audience WHERE name = 'winter'" | grep -qx 1 || fail "not published"
store_sql "SELECT count(*) FROM audit WHERE action = 'audience.publish'" | grep -qx 1 || fail "no audit row"
# a published audience cannot be removed
snapshot
sol audience remove winter
expect_exit 1; expect_err "published"; expect_unchanged
# the places for advertising platforms
# the region from the rule's 'within' (Lazio's municipalities name provinces the store does not
# hold: they lie within region 12 by their centroids)
sol audience export winter --format places --country Italy
expect_exit 0; expect_out '^place,name,region,country$'; expect_out '^"Bolsena, Lazio, Italy",Bolsena,Lazio,Italy$'
[ "$(($(wc -l <"$T/out") - 1))" = "$(wc -l <"$T/want100")" ] || fail "places: one line per area"
expect_err "no postal codes"
sol audience export winter --format radius
expect_exit 0; expect_out '^name,latitude,longitude,radius_km$'
# Bolsena: 63.6 km2 (Istat), so a radius of about 4.5 km
expect_out '^Bolsena,42\.6[0-9]*,11\.9[0-9]*,4\.[4-6]$'
sol audience export winter --format csv --out "$T/areas.csv"
expect_exit 0
awk -F, 'NR > 1 && $2 == "Bolsena" { if ($11 < 60 || $11 > 67) exit 1 }' "$T/areas.csv" || fail "Bolsena's surface"
# the printable map
sol audience map winter --out "$T/winter.svg"
expect_exit 0
grep -q 'data-code="056008"' "$T/winter.svg" || fail "the map lacks Bolsena"
grep -q 'in the audience' "$T/winter.svg" || fail "the map has no legend"
sol audience map winter --out "$T/winter.pdf"
expect_exit 0; [ -s "$T/winter.pdf" ] || fail "no PDF"
# the map, then the list of the areas, 40 a page
pages=$(grep -ac '/Type /Page$\|/Type /Page[^s]' "$T/winter.pdf" || true)
[ "$pages" -ge 3 ] || fail "the PDF has $pages pages, expected the map and the list"
sol audience unpublish winter
expect_exit 0
sol audience remove winter
expect_exit 0
store_sql "SELECT count(*) FROM audience" | grep -qx 0 || fail "not removed"
