# Audiences refused, each with a message that says what to change, and the store unchanged after
# every refusal: a rule naming an unknown indicator (the close names are listed), a syntax error
# (line and column), a cell below k (the largest k that would pass), a special category without
# a public-service purpose (then accepted with one), an unknown level or area, a bad name, a name
# in use, a bad k.
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$DATA/lazio_irpef_indicators.csv" --count-indicators pension_income_n,taxpayers --min-cell 10
expect_exit 0
snapshot
sol audience define a --rule 'level municipality; pct_pension_recipient > 30; people pension_income_n'
expect_exit 1; expect_err "no indicator 'pct_pension_recipient' in the store; close names: pct_pension_recipients"
expect_err 'rule:1:21'
expect_unchanged
sol audience define a --rule 'level municipality; people pension_incme_n'
expect_exit 1; expect_err "close names: pension_income_n"; expect_unchanged
sol audience define a --rule 'level municipality; pct_income_0_10k => 30; people pension_income_n'
expect_exit 1; expect_err "rule:1:38"; expect_err "use >, >=, < or <="; expect_unchanged
sol audience define a --rule 'level municipality
pct_income_0_10k > 30'
expect_exit 1; expect_err "add 'people CODE'"; expect_unchanged
# a cell below k: refused with the largest k that would pass
sol audience define a --rule 'level municipality; taxpayers < 300; people taxpayers'
expect_exit 1; expect_err "would hold fewer than k = 100 people"
expect_err "the smallest cell is [0-9]+, so it would pass only with k at most [0-9]+"
expect_unchanged
k=$(grep -oE 'k at most [0-9]+' "$T/err" | grep -oE '[0-9]+')
# the same rule passes once an administrator lowers k to that value, not one person above
sol audience k $((k + 1)); expect_exit 0
snapshot
sol audience define a --rule 'level municipality; taxpayers < 300; people taxpayers'
expect_exit 1; expect_unchanged
sol audience k "$k"; expect_exit 0; expect_out "^$k\$"
store_sql "SELECT detail FROM audit WHERE action = 'audience.k' ORDER BY id DESC LIMIT 1" | jq -e ".to == $k" >/dev/null || fail "k not audited"
sol audience define a --rule 'level municipality; taxpayers < 300; people taxpayers' --preview
expect_exit 0
sol audience k 100; expect_exit 0
# a special category: an indicator of the dimension health
sol indicator edit pct_employees --dimension health
expect_exit 0
snapshot
sol audience define b --rule 'level municipality; pct_employees > 50; people taxpayers'
expect_exit 1; expect_err "special category"; expect_err "purpose public-service"; expect_unchanged
# listed by the organisation: an indicator with no telling dimension or words
sol audience k --special pct_self_employed
expect_exit 0
snapshot
sol audience define b --rule 'level municipality; pct_self_employed > 1; people taxpayers'
expect_exit 1; expect_err "'pct_self_employed' is of a special category"; expect_unchanged
sol audience define b --rule 'level municipality; pct_employees > 50; people taxpayers; purpose public-service "where to open a health info point"'
expect_exit 0
sol audience show b; expect_out 'a public service for this group'
# other bad input
snapshot
sol audience define c --rule 'level comune; people taxpayers'
expect_exit 1; expect_err "no area of level 'comune'"; expect_unchanged
sol audience define c --rule 'level municipality; within 099; people taxpayers'
expect_exit 1; expect_err "no area '099'"; expect_unchanged
sol audience define 'bad name' --rule 'people taxpayers'
expect_exit 1; expect_err "an audience's name"; expect_unchanged
sol audience define b --rule 'level municipality; pct_employees > 50; people taxpayers; purpose public-service "again"'
expect_exit 1; expect_err "already exists"; expect_unchanged
sol audience define c --rule 'level municipality; pct_income_0_10k > 99; people taxpayers'
expect_exit 1; expect_err "selects no area"; expect_unchanged
sol audience define c --rule '{"people": "taxpayers", "conditions": [{"indicator": "pct_employees", "op": "=>", "value": 3}]}'
expect_exit 1; expect_err "rule.conditions\[0\].op"; expect_unchanged
sol audience k 0
expect_exit 2; expect_unchanged
sol audience show nope
expect_exit 1; expect_err "no audience called 'nope'"
sol audience remove nope
expect_exit 1; expect_unchanged
