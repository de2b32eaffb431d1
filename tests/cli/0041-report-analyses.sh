# The atlas with the analyses: every area in a compact table (in the appendix of --appendix ranks), the
# means, all ranks with their intervals, why the chosen area ranks there), the hot spots (cluster
# map, counts, p and inference) and estimates with their 95% intervals; in English and French,
# HTML and PDF.
. "$TOP/tests/cli/analyses_lib.sh"
with_analyses
sol report --out "$T/a.html" --indicators pct_income_0_10k,FH_LOWINC_0_10K --area 12 --appendix ranks; expect_exit 0
H=$T/a.html
# all 378 municipalities, one row each, in the compact table of the first indicator
awk '/All 378 areas, from the greatest need/ { on = 1 } on && /<table class="compact">/ { t = 1 }
     t && /^<tr>/ { n++ } t && /<\/table>/ { print n; exit }' "$H" >"$T/n"
[ "$(cat "$T/n")" = 378 ] || fail "the compact table has $(cat "$T/n") rows, expected 378"
grep -q '<thead><tr><th scope="col">Rank by need</th>' "$H" || fail "no repeated header (thead)"
# the index: heading, what it means, 20 ranked regions, the sentence for Lazio
grep -q "Composite well-being index, 2023" "$H" || fail "no index section"
grep -q "sums up 10 indicators, grouped in 7 dimensions" "$H" || fail "no 'what the index means'"
rank12=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next } $1 == "12" && $2 == "2023" { print $c["rank"] }' "$T/index.csv")
grep -q "Lazio ranks $rank12 of 20 (90% rank interval" "$H" || fail "no 'why Lazio ranks $rank12'"
awk '/All 20 areas by score/ { on = 1 } on && /<table/ { t = 1 } t && /^<tr>/ { n++ } t && /<\/table>/ { print n; exit }' "$H" >"$T/n"
[ "$(cat "$T/n")" = 20 ] || fail "the index table has $(cat "$T/n") rows"
# hot spots: the counts sentence agrees with the lisa output
read -r hh ll hl lh ns < <(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "cluster") c = k; next } { n[$c]++ }
    END { print n["HH"] + 0, n["LL"] + 0, n["HL"] + 0, n["LH"] + 0, n["NS"] + 0 }' "$T/lisa.csv")
grep -q "Of 378 areas: $hh High-High, $ll Low-Low, $hl High-Low, $lh Low-High, $ns not significant." "$H" ||
    fail "hot-spot counts differ from the lisa output ($hh $ll $hl $lh $ns)"
grep -q "from 499 random rearrangements" "$H" || fail "the inference is not said"
[ "$(grep -o 'data-class="HH"' "$H" | wc -l)" -ge "$hh" ] || fail "the cluster map lacks the HH areas"
# estimates: the interval of each FH estimate is eblup -/+ 1.96 sqrt(mse) of sae fh's output
grep -q "intervals built this way contain the true value 95 times out of 100" "$H" || fail "no interval sentence"
code=$(awk -F, 'NR == 2 { print $1 }' "$T/fh.csv")
name=$(awk -F, -v c="$code" '$1 == c { print $2; exit }' "$DATA/lazio_irpef_income.csv")
want=$(awk -F, -v c="$code" '$1 == c { s = sqrt($5); printf "between %.4g and %.4g", $4 - 1.959963984540054 * s, $4 + 1.959963984540054 * s }' "$T/fh.csv")
grep -q "<td>$name</td><td>[0-9.]*</td><td>$want</td><td>estimated</td>" "$H" ||
    fail "no row '$name ... $want' in the estimates table"
grep -q "<script" "$H" && fail "the report must not carry script"
# French: the analyses and the maps' own words
sol report --out "$T/fr.html" --lang fr --indicators FH_LOWINC_0_10K --area 12; expect_exit 0
grep -q "Indice composite de bien-être, 2023" "$T/fr.html" || fail "index heading not in French"
grep -q "Points chauds de" "$T/fr.html" || fail "hot spots not in French"
grep -q "Haut-Haut" "$T/fr.html" || fail "cluster words not in French"
grep -q "fois sur 100" "$T/fr.html" || fail "interval sentence not in French"
grep -q "nombre de territoires" "$T/fr.html" || fail "the map's own words are not in French"
grep -q "number of areas" "$T/fr.html" && fail "English words left in the French maps"
# PDF: a compact table over pages, the header repeated
sol report --out "$T/a.pdf" --indicators pct_income_0_10k --area 12 --appendix ranks; expect_exit 0
head -c 5 "$T/a.pdf" | grep -q '%PDF-' || fail "not a PDF"
pages=$(grep -ac '/Type /Page$\|/Type /Page ' "$T/a.pdf")
[ "$pages" -ge 8 ] || fail "only $pages pages"
