# Withheld values and ranks are said to be withheld in the atlas ("masqué (secret statistique)"),
# never shown, never "null": on the indicator's page, in the area's profile and in the appendix.
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
sol report --out "$T/fr.html" --lang fr --area P1 --indicators poor,rate --appendix ranks; expect_exit 0
H=$T/fr.html
grep -q '<h2>Profil de P1</h2>' "$H" || fail "no profile of P1"
grep -q '<tr><td>Persons in poverty</td><td>2023</td><td>masqué (secret statistique)</td><td>masqué (secret statistique)</td></tr>' "$H" ||
    fail "P1's withheld value and rank are not said to be withheld"
grep -q '4 territoires sont masqués (secret statistique)' "$H" || fail "the withheld areas are not counted on the page"
grep -q '4 autres territoires ont une valeur masquée (secret statistique) : leurs rangs sont masqués aussi.' "$H" ||
    fail "the appendix does not say the withheld ranks are withheld"
grep -qi 'null' "$H" && fail "null in the atlas"
grep -q '<td>P1</td><td>4</td>' "$H" && fail "P1's withheld count is shown"
sol report --out "$T/en.html" --area P1 --indicators poor; expect_exit 0
grep -q '<td>withheld (statistical disclosure control)</td><td>withheld (statistical disclosure control)</td>' "$T/en.html" ||
    fail "not withheld in English"
sol report --out "$T/it.html" --lang it --area P1 --indicators poor; expect_exit 0
grep -q '<td>oscurato (segreto statistico)</td>' "$T/it.html" || fail "not withheld in Italian"
