# The French demo's import step (examples/demo-fr.d/10-import.sh) on the bundled Insee data:
# 101 départements and 1 268 communes of Île-de-France, Filosofi 2015-2019 with the merged
# communes of 2015 skipped, statistical secrecy said; labels in three languages; the API gives
# names with the codes.
D=$TOP/examples/data/france
db=$DB
out=$T/out.d
mkdir -p "$out"
run() { "$SOLIDATA" --db "$db" "$@"; }
. "$TOP/examples/demo-fr.d/10-import.sh" >"$T/narration" 2>"$T/log" || { cat "$T/log"; fail "import step"; }
grep -q "3812 rows read, 42646 observations written, 27 indicators (27 new), 3 periods" "$T/log" || fail "commune import"
grep -q "skipped 8 rows for areas not in the store" "$T/log" || fail "merged communes"
grep -q "796 ont un niveau de vie médian mais pas de taux de pauvreté" "$T/narration" || fail "secrecy count"
sol init; expect_out "1369 areas, 54 indicators, 3 periods, 45372 observations, 4 sources"
sol indicators --json
jq -e '.[] | select(.code == "taux_pauvrete_60_pct") | .label == "Taux de pauvreté (seuil à 60 % du niveau de vie médian)" and .labels.en == "Poverty rate (threshold 60% of the median standard of living)" and (.labels.it | startswith("Tasso di povertà"))' "$T/out" >/dev/null || fail "labels"
jq -e '.[] | select(.code == "dep_taux_pauvrete_60_pct") | .last_period == "2019" and .observations == 101' "$T/out" >/dev/null || fail "départements"
# the API: areas with their level's names, observations with the area's name
serve
get "/api/observations?indicator=taux_pauvrete_60_pct&period=2019"; expect_code 200
jq -e '.values[] | select(.area == "93066") | .area_name == "Saint-Denis" and .value == 37' "$T/out" >/dev/null || fail "observation with its name"
get "/api/areas/93066/profile"; expect_code 200
jq -e '.area.name == "Saint-Denis" and .area.level_labels.en == "municipality"' "$T/out" >/dev/null || fail "profile area"
jq -e '.indicators[] | select(.indicator == "taux_pauvrete_60_pct") | .labels.en == "Poverty rate (threshold 60% of the median standard of living)" and .dimension_labels.en == "Income"' "$T/out" >/dev/null || fail "profile labels"
get "/api/indicators"; expect_code 200
jq -e '.[] | select(.code == "mediane_niveau_vie_eur") | .labels.fr == "Médiane du niveau de vie" and .units.en == "EUR per year"' "$T/out" >/dev/null || fail "indicators route"
stop_server
