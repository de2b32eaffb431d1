# A rate per 1,000 on real data (Lazio IRPEF 2018-2021): self-employed taxpayers per 1,000
# taxpayers per municipality and year, written as a derived indicator with labels in three
# languages, recorded as a run with its method card; every rate whose count is withheld (k = 10)
# is withheld too, and an anonymous visitor of the server gets neither; a second run replaces the
# first (version 2, the first kept as superseded).
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators self_employed_income_n,taxpayers --min-cell 10
expect_exit 0
sol derive rate --numerator self_employed_income_n --denominator taxpayers --as se_per_1000
expect_exit 0; expect_out '^se_per_1000$'
expect_err "se_per_1000 \(version 1\): 951 values written"
expect_err "265 values of se_per_1000 are withheld from the public"
expect_err "recorded as run [0-9]+"
# every value is count / taxpayers x 1000, from the file itself
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["self_employed_income_n"] != "" && $c["taxpayers"] > 0 {
        printf "%s@%s,%.17g\n", $1, $c["year"], $c["self_employed_income_n"] / $c["taxpayers"] * 1000 }' \
    "$DATA/lazio_irpef_income.csv" | sort >"$T/want"
store_csv "SELECT a.code || '@' || p.label, o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id
    JOIN area a ON a.id = o.area_id JOIN period p ON p.id = o.period_id WHERE i.code = 'se_per_1000'" | sort >"$T/got"
[ "$(wc -l <"$T/got")" = 951 ] || fail "expected 951 rates"
n=$(join -t, "$T/got" "$T/want" | awk -F, '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-12 * $3) bad++; n++ } END { print bad ? -1 : n }')
[ "$n" = 951 ] || fail "rates differ from count / taxpayers x 1000 ($n)"
# withheld exactly where the count is
store_sql "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id AND i.code = 'se_per_1000'
  JOIN observation c ON c.area_id = o.area_id AND c.period_id = o.period_id
  JOIN indicator ci ON ci.id = c.indicator_id AND ci.code = 'self_employed_income_n'
  WHERE (o.sdc = 0) <> (c.sdc = 0)" | grep -qx 0 || fail "the rate and its count disagree on what is withheld"
# labels and units in three languages, the relation recorded
store_sql "SELECT label, unit, unit_fr, unit_it, kind FROM indicator WHERE code = 'se_per_1000'" >"$T/ind"
grep -q '^self_employed_income_n per 1,000 inhabitants|per 1,000 inhabitants|pour 1.*000 habitants|per 1.000 abitanti|$' "$T/ind" \
    || fail "labels: $(cat "$T/ind")"
sol indicators; expect_out '^se_per_1000,.*,self_employed_income_n,taxpayers$'
# the source and the card
sol catalog; expect_out 'derived:se_per_1000'
id=$(grep -oE 'run [0-9]+' "$T/err" | head -1 | grep -oE '[0-9]+')
store_sql "SELECT method_card FROM run WHERE id = $id" | jq -e '.kind == "derive.rate" and
    .method.numerator.code == "self_employed_income_n" and .method.denominator.code == "taxpayers" and
    .method.per == 1000 and .method.missing.no_denominator == 0 and
    (.method.periods | test("same period")) and (.privacy.disclosure_control | test("withheld"))' >/dev/null \
    || fail "method card: $(store_sql "SELECT method_card FROM run WHERE id = $id")"
# the public: Bagnoregio's 6 self-employed taxpayers (2018) cannot be had from the rate
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
get "/api/observations?indicator=se_per_1000&period=2018"; expect_code 200
expect_out '"area":"056002","period":"2018","indicator":"se_per_1000","value":null,"se":null,"flags":"suppressed"'
expect_out '"area":"056001","period":"2018","indicator":"se_per_1000","value":14.41'
get "/api/observations?indicator=taxpayers&period=2018"; expect_code 200
expect_out '"area":"056002","period":"2018","indicator":"taxpayers","value":662'
get "/api/areas/056002/profile"; expect_code 200
grep -qE '9\.063|"value":9\.0' "$T/out" && fail "the profile leaks the rate"
curl -s -o /dev/null -c "$T/ana.jar" -H 'Content-Type: application/json' -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
get "/api/observations?indicator=se_per_1000&period=2018" -b "$T/ana.jar"; expect_code 200
expect_out '"area":"056002","period":"2018","indicator":"se_per_1000","value":9.063'
stop_server
# run again per 100: version 2 replaces version 1, kept as superseded
sol derive rate --numerator self_employed_income_n --denominator taxpayers --per 100 --as se_per_1000 --label "Self-employed taxpayers per 100 taxpayers" --unit "per 100 taxpayers"
expect_exit 0; expect_err "se_per_1000 \(version 2\): 951 values written"
store_sql "SELECT o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN area a ON a.id = o.area_id
  JOIN period p ON p.id = o.period_id WHERE i.code = 'se_per_1000' AND a.code = '056001' AND p.label = '2018'" | grep -q '^1\.441' \
    || fail "version 2 did not replace the values"
store_sql "SELECT version, status FROM source WHERE name = 'derived:se_per_1000' ORDER BY version" | tr '\n' ' ' | grep -qx '1|superseded 2|current ' \
    || fail "versions: $(store_sql "SELECT version, status FROM source WHERE name = 'derived:se_per_1000'")"
store_sql "SELECT label, unit_fr FROM indicator WHERE code = 'se_per_1000'" | grep -qx 'Self-employed taxpayers per 100 taxpayers|per 100 taxpayers' \
    || fail "--label and --unit not kept"
store_sql "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id WHERE i.code = 'se_per_1000' AND o.sdc <> 0" | grep -qx 265 \
    || fail "version 2 lost its withholding"
sol --json audit 2>/dev/null || true
store_sql "SELECT count(*) FROM audit WHERE action = 'derive.rate'" | grep -qx 2 || fail "not audited"
