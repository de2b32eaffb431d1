# Non-take-up: eligible people (population x poverty rate, the interval from the rate's standard
# error) against people receiving, per area: the gap and its interval computed here by hand, the
# ranking (largest gap first, ties by the lower bound), the run recorded, areas with a withheld
# count left out; --as-audience defines an audience of the areas whose gap is surely above zero.
# Bad input leaves the store unchanged.
grid_geojson "$T/grid.geojson" 2
sol import areas "$T/grid.geojson" --code-field code --level district
expect_exit 0
# poverty rates with standard errors (as a Fay-Herriot estimate would give)
printf 'code,year,indicator,value,se\nc00,2023,pop,10000,\nc01,2023,pop,8000,\nc10,2023,pop,6000,\nc11,2023,pop,5000,\nc00,2023,poverty_pct,20,1\nc01,2023,poverty_pct,25,5\nc10,2023,poverty_pct,10,0.5\nc11,2023,poverty_pct,30,2\n' >"$T/d.csv"
sol import data "$T/d.csv" --area-field code --period-field year --indicator-field indicator
expect_exit 0
printf 'code,year,helped\nc00,2023,1200\nc01,2023,1000\nc10,2023,450\nc11,2023,3\n' >"$T/h.csv"
sol import data "$T/h.csv" --area-field code --period-field year --count-indicators helped --min-cell 10
expect_exit 0
snapshot
sol takeup --eligible 'level district; people pop * share poverty_pct' --receiving nope
expect_exit 2; expect_err "no indicator 'nope'"; expect_unchanged
sol takeup --eligible 'level district; people pop * shar rate' --receiving helped
expect_exit 1; expect_err "rule:1:"; expect_unchanged
sol takeup --eligible 'level district; people pop * share poverty_pct' --receiving helped
expect_exit 0; expect_err "recorded as run"
expect_err "1 area\(s\) left out because a value is withheld"
# eligible: c00 2000 (se 100), c01 2000 (se 400), c10 600 (se 30); gaps 800, 1000, 150
awk -F, 'NR > 1 { print $1 "," $2 "," $8 "," $9 "," $12 }' "$T/out" >"$T/got"
z=1.959963984540054
awk -v z=$z 'BEGIN { printf "1,c01,1000,%.6f,1\n2,c00,800,%.6f,1\n3,c10,150,%.6f,1\n", 1000 - z * 400, 800 - z * 100, 150 - z * 30 }' >"$T/want"
awk -F, '{ printf "%s,%s,%s,%.6f,%s\n", $1, $2, $3, $4, $5 }' "$T/got" >"$T/got6"
diff "$T/got6" "$T/want" >/dev/null || fail "takeup: $(cat "$T/got6")"
id=$(grep -oE 'run [0-9]+' "$T/err" | head -1 | grep -oE '[0-9]+')
store_sql "SELECT kind FROM run WHERE id = $id" | grep -qx takeup || fail "no takeup run"
# the two largest gaps as an audience (its own k check applies)
sol takeup --eligible 'level district; people pop * share poverty_pct' --receiving helped --as-audience reach --top 2
expect_exit 0; expect_err "audience 'reach' defined"
sol audience show reach --json
jq -e '(.areas | map(.code)) == ["c00", "c01"] and (.purpose | test("non-take-up")) and .rule_json.within == ["c01", "c00"]' "$T/out" >/dev/null \
    || fail "audience: $(jq -c '{areas, purpose, rule_json}' "$T/out")"
# the same again: the name is taken, nothing is written (not even the run)
snapshot
sol takeup --eligible 'level district; people pop * share poverty_pct' --receiving helped --as-audience reach
expect_exit 1; expect_err "already exists"; expect_unchanged
