# Coverage of need: people helped (an association's own count) as a share of the estimated people
# in need, with the need's 95% interval carried through the ratio when the estimate has a
# standard error (none without one, no upper bound when need - 1.96 se <= 0), coverages above
# 100% counted and said, a missing or zero need left missing and said, a small count withheld
# with its coverage; the values checked against the formulas.
with_regions
cat >"$T/need.csv" <<'CSV'
reg_code,year,indicator,value,se
01,2023,need,5000,400
02,2023,need,300,200
03,2023,need,1200,
04,2023,need,800,50
05,2023,need,0,
CSV
printf 'reg_code,year,helped\n01,2023,1200\n02,2023,6\n03,2023,300\n04,2023,900\n05,2023,10\n06,2023,50\n' >"$T/helped.csv"
sol import data "$T/need.csv" --area-field reg_code --period-field year --indicator-field indicator
expect_exit 0
sol import data "$T/helped.csv" --area-field reg_code --period-field year --count-indicators helped
expect_exit 0
sol derive coverage --helped helped --need need --json
expect_exit 0
expect_err "helped_coverage \(version 1\): 4 values written"
expect_err "1 value of helped_coverage is withheld from the public"
expect_err "3 coverages have a 95% interval"
expect_err "1 coverage is above 100%: more people helped than the estimate"
expect_err "1 value of 'helped' has no estimate of need for its area and period: left missing"
expect_err "1 value of 'helped' has an estimated need of 0 for its area and period: left missing"
jq -e '.indicator == "helped_coverage" and .kind == "coverage" and .written == 4 and .no_need == 1 and
    .zero_need == 1 and .over_100 == [{"area": "04", "period": "2023"}] and (.run_id > 0)' "$T/out" >/dev/null \
    || fail "result: $(cat "$T/out")"
# 01: 1200 / 5000 = 24%, interval 1200 / (5000 -/+ 1.96 x 400); 02: no upper bound
jq -r '.intervals[] | [.area, .value, .lo95, (.hi95 // "none")] | @csv' "$T/out" | tr -d '"' >"$T/iv"
awk -F, '$1 == "01" { z = 1.959963984540054; v = 24; lo = 1200 / (5000 + z * 400) * 100; hi = 1200 / (5000 - z * 400) * 100;
    d = ($2 - v) ^ 2 + ($3 - lo) ^ 2 + ($4 - hi) ^ 2; ok = d < 1e-20 }
    $1 == "02" { ok2 = ($4 == "none" && $2 == 2) } END { exit !(ok && ok2) }' "$T/iv" || fail "intervals: $(cat "$T/iv")"
grep -q '^03,' "$T/iv" && fail "a need without se has no interval"
# stored: value, the delta-method se (100 x 1200 x 400 / 5000^2 = 1.92), flagged estimated
store_sql "SELECT a.code, o.value, o.se, o.flags, o.sdc FROM observation o JOIN indicator i ON i.id = o.indicator_id
  JOIN area a ON a.id = o.area_id WHERE i.code = 'helped_coverage' ORDER BY a.code" >"$T/obs"
grep -qx '01|24\(\.0\)\{0,1\}|1.92|1|0' "$T/obs" || fail "01: $(cat "$T/obs")"
grep -qx '03|25\(\.0\)\{0,1\}||0|0' "$T/obs" || fail "03: $(cat "$T/obs")"
grep -qx '04|112.5|[0-9.]*|1|0' "$T/obs" || fail "04: $(cat "$T/obs")"
grep -q '^02|2\(\.0\)\{0,1\}|.*|2$' "$T/obs" || fail "02 (6 people helped, k = 10) is not withheld: $(cat "$T/obs")"
grep -q '^0[56]|' "$T/obs" && fail "a coverage without need was written"
store_sql "SELECT unit, unit_fr, unit_it, label_fr FROM indicator WHERE code = 'helped_coverage'" \
    | grep -qx '% of the estimated need|% du besoin estimé|% del bisogno stimato|Couverture du besoin : helped rapporté à need' \
    || fail "words: $(store_sql "SELECT unit, unit_fr, unit_it, label_fr FROM indicator WHERE code = 'helped_coverage'")"
id=$(jq .run_id "$T/out")
store_sql "SELECT method_card FROM run WHERE id = $id" | jq -e '.kind == "derive.coverage" and
    (.method.interval | test("1.96 se")) and .method.over_100 == 1 and (.method.over_100_means | test("estimate is too low"))' >/dev/null \
    || fail "card: $(store_sql "SELECT method_card FROM run WHERE id = $id")"
# the public sees 01 and not 02
serve
get "/api/observations?indicator=helped_coverage&period=2023"; expect_code 200
expect_out '"area":"01","period":"2023","indicator":"helped_coverage","value":24(\.0)?,"se":1.92'
expect_out '"area":"02","period":"2023","indicator":"helped_coverage","value":null,"se":null,"flags":"estimated[|]suppressed"'
stop_server
