# map in the user's language: --lang fr / it give the legend's words ("Pas de données", "Nessun
# dato"), the footer and the credit line from the catalogues, and numbers as each language
# writes them (decimal comma, U+202F or '.' between thousands); English stays as it was.
GEO="$DATA/lazio_municipalities.geojson"
args=(--geo "$GEO" --id-field istat_code --name-field name --data "$DATA/lazio_irpef_income.csv"
      --var pct_self_employed --period-field year --period 2021 --classes jenks
      --source "MEF - Dipartimento delle Finanze" --licence "CC BY 4.0")
sol --quiet map "${args[@]}" --lang fr --out "$T/fr.svg"
expect_exit 0
grep -q '>Pas de données</text>' "$T/fr.svg" || fail "no French no-data row"
grep -q '>No data</text>' "$T/fr.svg" && fail "English no-data row in the French map"
grep -qE '>[0-9]+,[0-9]+ – [0-9]+,[0-9]+</text>' "$T/fr.svg" || fail "French legend ranges without a decimal comma"
grep -qE '>[0-9]+\.[0-9]+ – ' "$T/fr.svg" && fail "a decimal point in the French legend"
grep -q '>nombre de territoires</text>' "$T/fr.svg" || fail "French count note"
grep -q 'Source : MEF - Dipartimento delle Finanze' "$T/fr.svg" || fail "French source line"
grep -q 'Licence : CC BY 4.0' "$T/fr.svg" || fail "French licence line"
grep -qE 'pct_self_employed\. Carte réalisée avec solidata le (1er|[0-9]{1,2}) [a-zéû]+ [0-9]{4}\.' "$T/fr.svg" ||
    fail "French credit line"
grep -q 'Seuils naturels (Jenks), 5 classes' "$T/fr.svg" || fail "French subtitle"
grep -qE '<title>Roma: [0-9]+,[0-9]+</title>' "$T/fr.svg" || fail "French hover value"
sol --quiet map "${args[@]}" --lang it --out "$T/it.svg"
expect_exit 0
grep -q '>Nessun dato</text>' "$T/it.svg" || fail "no Italian no-data row"
grep -qE '>[0-9]+,[0-9]+ – [0-9]+,[0-9]+</text>' "$T/it.svg" || fail "Italian legend ranges without a decimal comma"
grep -q 'Fonte: MEF - Dipartimento delle Finanze' "$T/it.svg" || fail "Italian source line"
grep -q 'Licenza: CC BY 4.0' "$T/it.svg" || fail "Italian licence line"
grep -qE 'Mappa realizzata con solidata il [0-9]{1,2} [a-z]+ [0-9]{4}\.' "$T/it.svg" || fail "Italian credit line"
grep -q 'Interruzioni naturali (Jenks), 5 classi' "$T/it.svg" || fail "Italian subtitle"
# thousands: U+202F in French, '.' in Italian, ',' in English (numbers of the language)
inc=(--geo "$GEO" --id-field istat_code --data "$DATA/lazio_irpef_income.csv"
     --var mean_taxable_income_eur --period-field year --period 2020 --classes equal -k 4)
sol --quiet map "${inc[@]}" --lang fr --out "$T/inc-fr.svg"; expect_exit 0
grep -qE ">[0-9]{1,2}$(printf '\xe2\x80\xaf')[0-9]{3} – [0-9]{1,2}$(printf '\xe2\x80\xaf')[0-9]{3}</text>" "$T/inc-fr.svg" ||
    fail "French thousands"
sol --quiet map "${inc[@]}" --lang it --out "$T/inc-it.svg"; expect_exit 0
grep -qE '>[0-9]{1,2}\.[0-9]{3} – [0-9]{1,2}\.[0-9]{3}</text>' "$T/inc-it.svg" || fail "Italian thousands"
sol --quiet map "${inc[@]}" --lang en --out "$T/inc-en.svg"; expect_exit 0
grep -qE '>[0-9]{1,2},[0-9]{3} – [0-9]{1,2},[0-9]{3}</text>' "$T/inc-en.svg" || fail "English thousands"
grep -q '>No data</text>' "$T/inc-en.svg" && fail "a no-data row where every area has a value"
# LISA labels in French
printf 'id,cluster\n058091,HH\n' >"$T/lisa.csv"
sol --quiet map --geo "$GEO" --id-field istat_code --lisa "$T/lisa.csv" --lang fr --out "$T/lisa.svg"
expect_exit 0
grep -q '>Haut-Haut</text>' "$T/lisa.svg" || fail "French LISA label"
grep -q 'Agrégats LISA' "$T/lisa.svg" || fail "French LISA title"
# an unknown language is refused
sol map "${args[@]}" --lang de --out "$T/de.svg"
expect_exit 1; expect_err "de"
