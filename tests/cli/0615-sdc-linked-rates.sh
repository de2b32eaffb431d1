# Linked suppression on the real Lazio IRPEF data: a rate (share of taxpayers, mean income) is
# withheld wherever a count it is computed from is withheld, so that rate x denominator never
# gives a small count back; the check below finds the leak when the relations are not declared.
counts=taxpayers,taxable_income_n,employee_income_n,pension_income_n,self_employed_income_n
counts=$counts,building_income_n,net_tax_n,inc_le0_n,inc_0_10k_n,inc_10k_15k_n,inc_15k_26k_n
counts=$counts,inc_26k_55k_n,inc_55k_75k_n,inc_75k_120k_n,inc_gt120k_n
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0

# recoverable FILE: for every derived indicator of the metadata, an area-period whose rate and
# denominator are both published while a numerator count is withheld (printed: a leak)
recoverable() {
    awk -F, 'FNR == 1 { f++ }
        f == 1 && FNR > 1 && $(NF - 1) != "" { num[$1] = $(NF - 1); den[$1] = $NF }
        f == 2 && FNR > 1 { k = $1 SUBSEP $2 SUBSEP $3; pub[k] = ($6 != "suppressed"); has[k] = 1 }
        END { for (k in pub) { split(k, a, SUBSEP); d = a[3]; if (!(d in num) || !pub[k]) continue;
                  dk = a[1] SUBSEP a[2] SUBSEP den[d]; if (!(dk in has) || !pub[dk]) continue;
                  n = split(num[d], parts, "+");
                  for (j = 1; j <= n; j++) { ck = a[1] SUBSEP a[2] SUBSEP parts[j];
                      if ((ck in has) && !pub[ck]) print a[1] "," a[2] "," d "," parts[j] } } }' \
        "$DATA/lazio_irpef_indicators.csv" "$1"
}

# without the relations (a copy of the metadata minus its last two columns) the rates leak
sed -E 's/,[^,]*,[^,]*$//' "$DATA/lazio_irpef_indicators.csv" >"$T/meta-plain.csv"
DB0=$DB; DB=$T/plain.db
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$T/meta-plain.csv" --count-indicators "$counts" --min-cell 10
expect_exit 0; expect_err "1033 values in the store are withheld from public outputs \(1033 counts below"
sol export data --out "$T/plain.csv"; expect_exit 0
leaks=$(recoverable "$T/plain.csv" | wc -l)
[ "$leaks" -ge 272 ] || fail "the check should find the unlinked rates (found $leaks)"
recoverable "$T/plain.csv" | grep -q '^056002,2018,pct_self_employed,self_employed_income_n$' \
    || fail "Bagnoregio's 6 self-employed taxpayers are not found recoverable without the relation"
DB=$DB0

# with the relations (the bundled metadata): no leak, 272 rates withheld as linked
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators "$counts" --min-cell 10
expect_exit 0
expect_err "1305 values in the store are withheld from public outputs \(1033 counts below the minimum cell size, 272 values that would give them back\)"
sol export data --out "$T/linked.csv"; expect_exit 0
[ -z "$(recoverable "$T/linked.csv")" ] || fail "a withheld count is recoverable: $(recoverable "$T/linked.csv" | head -3)"
grep -q '^056002,2018,pct_self_employed,,,suppressed$' "$T/linked.csv" || fail "the linked rate is published"
grep -q '^056002,2018,taxpayers,[0-9]' "$T/linked.csv" || fail "the denominator should stay published"
# a share over two brackets is withheld when either bracket is
store_sql "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id
  WHERE i.code = 'pct_income_0_15k' AND o.sdc = 2" | grep -qx 4 || fail "pct_income_0_15k: expected 4 linked"
# a mean is withheld with its count (mean x count = amount would not leak, amount / mean would)
store_sql "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id
  JOIN observation c ON c.area_id = o.area_id AND c.period_id = o.period_id
  JOIN indicator ci ON ci.id = c.indicator_id AND ci.code = 'self_employed_income_n'
  WHERE i.code = 'pct_self_employed' AND (o.sdc = 0) <> (c.sdc = 0)" | grep -qx 0 \
    || fail "pct_self_employed and its count disagree on what is withheld"
# the public API: null with the suppressed flag; an analyst sees the value with the flag
serve
get "/api/observations?indicator=pct_self_employed&period=2018&area=056002"; expect_code 200
grep -q '"value":null' "$T/out" || fail "the API publishes a linked rate: $(cat "$T/out")"
stop_server
sol indicators --json; expect_exit 0
jq -e '.[] | select(.code == "pct_income_0_15k") | .numerator == ["inc_0_10k_n", "inc_10k_15k_n"]
    and .denominator == "taxpayers"' "$T/out" >/dev/null || fail "indicators --json lacks the relation"
sol indicators; expect_out '^pct_self_employed,.*,self_employed_income_n,taxpayers$'
expect_out '^inc_0_10k_n,.*,count,,$'

# bad relations: unknown component, a rate computed from itself, two denominators
snapshot
printf 'istat_code,year,users_n,residents_n,pct_users\n056001,2023,40,1000,4\n056002,2023,12,600,2\n' >"$T/u.csv"
printf 'code,label,numerator,denominator\npct_users,Service users,user_n,residents_n\n' >"$T/m1.csv"
sol import data "$T/u.csv" --area-field istat_code --period-field year --indicator-meta "$T/m1.csv" --count-indicators users_n,residents_n
expect_exit 1; expect_err "m1.csv: indicator 'pct_users' is computed from 'user_n', which is not an indicator of this file or the store"
expect_unchanged
printf 'code,label,numerator,denominator\npct_users,Service users,pct_users,residents_n\n' >"$T/m2.csv"
sol import data "$T/u.csv" --area-field istat_code --period-field year --indicator-meta "$T/m2.csv"
expect_exit 1; expect_err "m2.csv:2:25: 'pct_users' cannot be computed from itself"
expect_unchanged
printf 'code,label,numerator,denominator\npct_users,Service users,users_n,residents_n+users_n\n' >"$T/m3.csv"
sol import data "$T/u.csv" --area-field istat_code --period-field year --indicator-meta "$T/m3.csv"
expect_exit 1; expect_err "m3.csv:2:33: denominator 'residents_n\\+users_n': expected one indicator code"
expect_unchanged
printf 'code,label,numerator,denominator\npct_users,Service users,users_n+,residents_n\n' >"$T/m4.csv"
sol import data "$T/u.csv" --area-field istat_code --period-field year --indicator-meta "$T/m4.csv"
expect_exit 1; expect_err "m4.csv:2:25: numerator 'users_n\\+': expected indicator codes joined by"
expect_unchanged
# a good relation on a small file: 12 users of 600 residents with k = 15 withholds the share too
printf 'code,label,numerator,denominator\npct_users,Service users,users_n,residents_n\n' >"$T/m5.csv"
sol import data "$T/u.csv" --area-field istat_code --period-field year --indicator-meta "$T/m5.csv" \
    --count-indicators users_n,residents_n --min-cell 15
expect_exit 0
sol export data --period 2023; expect_out '^056002,2023,pct_users,,,suppressed$'; expect_out '^056001,2023,pct_users,4,,$'
