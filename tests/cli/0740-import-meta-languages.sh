# Indicator metadata with labels and units in each language (label_fr, label_it, label_en,
# unit_xx): stored, listed in JSON with the fallback order (the language asked for, English, the
# publisher's label, the code) and where each label came from; the CSV list keeps its columns.
with_regions
cat >"$T/meta.csv" <<'CSV'
code,label,label_fr,label_en,unit,unit_fr,polarity,dimension
pov,Tasso di povertà,Taux de pauvreté,Poverty rate,%,% des personnes,lower_better,income
med,Reddito mediano,,,euro,,higher_better,Salute
bare,,,,,,,
CSV
printf 'code,pov,med,bare\n01,10.5,20000,1\n12,12,21000,2\n' >"$T/d.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/meta.csv"
expect_exit 0
sol indicators; expect_exit 0
expect_out '^code,label,unit,polarity,dimension,observations,first_period,last_period,kind,numerator,denominator$'
expect_out '^pov,Tasso di povertà,%,lower_better,income,2,2020,2020,,,$'
sol indicators --json; expect_exit 0
jq -e '.[] | select(.code == "pov") | .labels == {"en": "Poverty rate", "fr": "Taux de pauvreté", "it": "Poverty rate"}' "$T/out" >/dev/null || fail "labels of pov"
jq -e '.[] | select(.code == "pov") | .label_origin == {"en": "lang", "fr": "lang", "it": "en"}' "$T/out" >/dev/null || fail "label_origin of pov"
jq -e '.[] | select(.code == "pov") | .units == {"en": "%", "fr": "% des personnes", "it": "%"}' "$T/out" >/dev/null || fail "units of pov"
jq -e '.[] | select(.code == "med") | .labels.fr == "Reddito mediano" and .label_origin.fr == "default"' "$T/out" >/dev/null || fail "default label of med"
jq -e '.[] | select(.code == "bare") | .labels.it == "bare" and .label_origin.it == "code" and .units.en == null and .dimension_labels == null' "$T/out" >/dev/null || fail "code as the last fallback"
jq -e '.[] | select(.code == "med") | .dimension == "Salute" and .dimension_labels.en == "Health"' "$T/out" >/dev/null || fail "BES domain name in English"
jq -e '.[] | select(.code == "pov") | .dimension_labels.en == "Income"' "$T/out" >/dev/null || fail "dimension in English"
# the translations, when the catalogues hold them
if grep -q '^msgid "Income"' "$TOP/po/fr.po" "$TOP/po/it.po"; then
    jq -e '.[] | select(.code == "pov") | .dimension_labels == {"en": "Income", "fr": "Revenus", "it": "Reddito"}' "$T/out" >/dev/null || fail "dimension names"
fi
# a later file brings the Italian label: only the columns it gives change
printf 'code,label_it\npov,Tasso di povertà (soglia 60%%)\n' >"$T/meta2.csv"
printf 'code,pov\n01,10.6\n' >"$T/d2.csv"
sol import data "$T/d2.csv" --area-field code --period 2021 --indicator-meta "$T/meta2.csv"
expect_exit 0
sol indicators --json
jq -e '.[] | select(.code == "pov") | .labels.it == "Tasso di povertà (soglia 60%)" and .labels.fr == "Taux de pauvreté" and .label == "Tasso di povertà"' "$T/out" >/dev/null || fail "labels after a second file"
# areas: the level's name in each language
sol areas --json; expect_exit 0
jq -e '.[0].level_labels.en == "region"' "$T/out" >/dev/null || fail "level_labels"
if grep -q '^msgid "region"' "$TOP/po/fr.po"; then
    jq -e '.[0].level_labels == {"en": "region", "fr": "région", "it": "regione"}' "$T/out" >/dev/null || fail "level names"
fi
# the bundled metadata: BES in three languages, the Italian name as the publisher's label
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol indicators --json
jq -e '.[] | select(.code == "04BEC006P") | .label == "Pensionati con reddito pensionistico di basso importo" and .labels.en == "Pensioners with a low pension income" and .labels.fr == "Retraités percevant une pension de faible montant" and .unit == "%"' "$T/out" >/dev/null || fail "BES labels"
jq -e '.[] | select(.code == "01SAL001") | .unit == "anni (media)" and .units.fr == "années (moyenne)"' "$T/out" >/dev/null || fail "BES units"
