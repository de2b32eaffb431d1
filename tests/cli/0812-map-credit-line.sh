# every map the command writes carries a credit line: the title and the day it was made, under
# the source and licence lines ("not stated" when a file map is given none). PNG and PDF are
# drawn from the same SVG (sol_map_write), so the SVG made with the same options is checked.
GEO="$DATA/lazio_municipalities.geojson"
args=(--geo "$GEO" --id-field istat_code --data "$DATA/lazio_irpef_income.csv"
      --var pct_income_0_10k --period-field year --period 2021 --title "Low incomes")
sol --quiet map "${args[@]}" --out "$T/m.svg"
expect_exit 0
grep -q 'Source: not stated' "$T/m.svg" || fail "no source line"
grep -q 'Licence: not stated' "$T/m.svg" || fail "no licence line"
grep -qE 'Low incomes\. Map made with solidata on [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}\.' "$T/m.svg" || fail "no credit line"
sol --quiet map "${args[@]}" --source "MEF" --licence "CC BY 4.0" --out "$T/s.svg"
expect_exit 0
grep -q 'Source: MEF' "$T/s.svg" && grep -q 'Licence: CC BY 4.0' "$T/s.svg" || fail "source or licence"
grep -qE 'Low incomes\. Map made with solidata on' "$T/s.svg" || fail "no credit line with a source"
sol --quiet map "${args[@]}" --source "MEF" --licence "CC BY 4.0" --out "$T/s.png"
expect_exit 0; [ "$(head -c 4 "$T/s.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] || fail "not a PNG"
sol --quiet map "${args[@]}" --source "MEF" --licence "CC BY 4.0" --lang fr --out "$T/s.pdf"
expect_exit 0; [ "$(head -c 5 "$T/s.pdf")" = "%PDF-" ] || fail "not a PDF"
# a map of the store credits the indicator's sources with their licences, from the catalog
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat"
expect_exit 0
sol --quiet map --indicator 04BEC006P --out "$T/store.svg"
expect_exit 0
grep -q 'Source: Fonte: Istat' "$T/store.svg" || fail "store map: no source from the catalog"
grep -q 'Licence: CC BY 3.0' "$T/store.svg" || fail "store map: no licence from the catalog"
grep -qE '\. Map made with solidata on [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}\.' "$T/store.svg" || fail "store map: no credit line"
sol --quiet map --indicator 04BEC006P --lang it --out "$T/store-it.svg"
expect_exit 0
grep -qE 'Licenza: [^<]*CC BY' "$T/store-it.svg" || fail "store map: no Italian licence line"
grep -q 'Mappa realizzata con solidata il' "$T/store-it.svg" || fail "store map: no Italian credit line"
grep -q 'Quantili' "$T/store-it.svg" || fail "store map: legend title not in Italian"
