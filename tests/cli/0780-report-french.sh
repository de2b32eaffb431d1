# The French atlas of the Italian regions speaks French only: no English sentence of the report
# (the English messages of src/run/report*.c, as the catalogue extracts them) appears in it;
# numbers, percentages and the date are written the French way; areas are named, never coded;
# every area's rank only in the appendix asked for; every page credits sources and licences.
. "$TOP/tests/cli/report_lib.sh"
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat"
sol alerts --since 2019; expect_exit 0
sol report --out "$T/fr.html" --lang fr; expect_exit 0
sol report --out "$T/area.html" --lang fr --indicators 04BEC006P,03LAV002-N22 --area 12; expect_exit 0
no_english "$T/fr.html" "$T/area.html"
# the reader's text: paragraphs, headings and cells (not the maps' drawing), versions left out,
# and the alerts' own sentences (src/run/alerts.c writes them, with their q values)
grep -hE '^<(p|h[1-3]|tr|thead)>' "$T/fr.html" "$T/area.html" | grep -v 'q = ' | sed -e 's/solidata [0-9][0-9.]*//g' -e 's/CC BY [0-9.]*//g' >"$T/text"
grep -qE '(^|[ (>])[0-9]+\.[0-9]' "$T/text" && fail "a decimal point in the French atlas: $(grep -m1 -E '(^|[ (>])[0-9]+\.[0-9]' "$T/text")"
grep -qE '\([0-9]+,[0-9]+\)' "$T/text" || fail "no decimal comma"
grep -q "$(printf '[0-9]\xe2\x80\xaf%%')" "$T/text" || fail "no percentage written the French way (10 %)"
grep -qE '(1er|[0-9]{1,2}) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) [0-9]{4}' \
    "$T/text" || fail "no date written the French way"
# names, not codes
grep -q '<h2>Profil de Lazio</h2>' "$T/area.html" || fail "the profile is not headed by the area's name"
grep -q 'Profil de 12' "$T/area.html" && fail "the profile is headed by a code"
grep -qE '^<p>1\. [A-Z][a-z]' "$T/fr.html" || fail "the areas in greatest need are not named"
grep -q 'Où le besoin est le plus fort' "$T/fr.html" || fail "no areas in greatest need on the first page"
grep -q 'Ce que montre cet atlas' "$T/fr.html" || fail "no 'what this atlas shows'"
grep -q 'null' "$T/text" && fail "null in the French atlas"
# no rank table of every area unless asked for
grep -q 'Annexe' "$T/area.html" && fail "an appendix nobody asked for"
grep -q 'Les 20 territoires, du besoin le plus fort' "$T/area.html" && fail "every area's rank outside the appendix"
sol report --out "$T/ranks.html" --lang fr --indicators 04BEC006P --appendix ranks; expect_exit 0
grep -q '<h2>Annexe : tous les territoires par rang</h2>' "$T/ranks.html" || fail "no appendix with --appendix ranks"
awk '/Les 20 territoires, du besoin le plus fort/ { on = 1 } on && /<table/ { t = 1 }
     t && /^<tr>/ { n++ } t && /<\/table>/ { print n; exit }' "$T/ranks.html" >"$T/n"
[ "$(cat "$T/n")" = 20 ] || fail "the appendix lists $(cat "$T/n") areas, expected 20"
sol report --out "$T/x.html" --appendix everything; expect_exit 1; expect_err "appendix 'everything': expected ranks"
# sources, licences and date in the footer of the HTML and on every PDF page
grep -q '<footer><p>Atlas des besoins sociaux · [0-9]' "$T/fr.html" || fail "no title and date in the footer"
grep -q 'Sources : bes_regions_long.csv (CC BY 3.0)' "$T/fr.html" || fail "no sources and licences in the footer"
sol report --out "$T/fr.pdf" --lang fr --indicators 04BEC006P; expect_exit 0
head -c 5 "$T/fr.pdf" | grep -q '%PDF-' || fail "not a PDF"
# the chosen indicators without an alert or a forecast: which were looked at, and what they show
grep -q "Le dernier contrôle (depuis 2019) a examiné « [^»]* » et « [^»]* » pour Lazio : aucun ne montre de signal de besoin croissant." "$T/area.html" ||
    fail "the emerging needs do not say which indicators were looked at"
grep -q "Aucune prévision n'a été calculée pour les indicateurs de cet atlas (« " "$T/area.html" ||
    fail "the forecasts do not say which indicators have none"
