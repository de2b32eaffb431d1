# The French atlas with the analyses (composite index, hot spots, small-area estimates) holds no
# English message of the report; the index's page says in French why Lazio ranks where it does,
# with French numbers, and its every-area table comes only in the appendix; the Italian one too.
. "$TOP/tests/cli/analyses_lib.sh"
. "$TOP/tests/cli/report_lib.sh"
with_analyses
sol report --out "$T/fr.html" --lang fr --indicators pct_income_0_10k,FH_LOWINC_0_10K --area 12 \
    --appendix ranks; expect_exit 0
no_english "$T/fr.html"
rank12=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next } $1 == "12" && $2 == "2023" { print $c["rank"] }' "$T/index.csv")
grep -q "Lazio est au rang $rank12 sur 20 (intervalle de rang à 90 % : de [0-9]* à [0-9]*) avec un score de [0-9−]*,[0-9]*\." "$T/fr.html" ||
    fail "no French 'why Lazio ranks $rank12'"
grep -q "fois l.écart-type au-dessus de la moyenne" "$T/fr.html" || fail "the dimensions are not said in French"
grep -q '<h3>Les 20 territoires par score</h3>' "$T/fr.html" || fail "no index table in the appendix"
awk '/<h2>Annexe/ { a = 1 } /Les 20 territoires par score/ { print a + 0; exit }' "$T/fr.html" >"$T/in"
[ "$(cat "$T/in")" = 1 ] || fail "the index table is not in the appendix"
grep -q 'Points chauds de « ' "$T/fr.html" || fail "no hot spots in French"
grep -q 'intervalle à 95 % : de \|Intervalle à 95 %' "$T/fr.html" || fail "no 95% interval in French"
sol report --out "$T/it.html" --lang it --indicators FH_LOWINC_0_10K --area 12; expect_exit 0
grep -q "Lazio è in posizione $rank12 su 20 (intervallo al 90%: da" "$T/it.html" || fail "no Italian 'why Lazio ranks'"
grep -q 'Tutti i 20 territori per punteggio' "$T/it.html" && fail "every area's score without the appendix"
grep -q 'Punti caldi di «' "$T/it.html" || fail "no hot spots in Italian"
