# File mode on the real Lazio data (378 municipalities, IRPEF 2021 low-income share): Moran and
# LISA against the R spdep references of tests/data/spatial_lazio (moran.test, localmoran).
R=$TOP/tests/data/spatial_lazio
GEO="--geo $DATA/lazio_municipalities.geojson --id-field istat_code"
# the data file holds 3 years per municipality: keep 2021 with --period-field/--period ...
sol spatial moran $GEO --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k \
    --period-field year --period 2021 --islands keep
expect_exit 0; expect_err "2 areas without neighbours kept"
head -1 "$T/out" | grep -q '^n,I,expected,variance_normal,variance_randomisation,z_normal,z_randomisation,p_normal,p_randomisation,p_perm$' || fail "moran columns"
I=$(awk -F, 'NR==2 {print $2}' "$T/out"); Z=$(awk -F, 'NR==2 {print $7}' "$T/out")
awk -F, '$1=="pct_income_0_10k" && $2=="queen_W" && $3==1 {print "id,I,z\nx," $4 "," $7}' "$R/expected_moran.csv" >"$T/want"
printf 'id,I,z\nx,%s,%s\n' "$I" "$Z" >"$T/got"
[ "$(close_cols "$T/got" 2 "$T/want" 2 1e-9)" = 1 ] || fail "Moran I differs from spdep"
[ "$(close_cols "$T/got" 3 "$T/want" 3 1e-9)" = 1 ] || fail "Moran z differs from spdep"
# ... and without the period filter every municipality has 3 rows: a clear error
sol spatial moran $GEO --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k --islands keep
expect_exit 1; expect_err "lazio_irpef_income.csv:3: area 056001 has a second row \(the first is line 2\)"
# a one-year file made with awk gives the same LISA as the period filter
awk -F, 'NR==1 || $4==2021' "$DATA/lazio_irpef_income.csv" >"$T/y2021.csv"
sol spatial lisa $GEO --data "$T/y2021.csv" --var pct_income_0_10k --islands keep --permutations 0 --out "$T/lisa.csv"
expect_exit 0
[ "$(wc -l <"$T/lisa.csv")" = 379 ] || fail "lisa.csv has $(wc -l <"$T/lisa.csv") lines"
head -1 "$T/lisa.csv" | grep -q '^id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,z_total,p_total,p_perm,quadrant,cluster$' || fail "lisa columns"
# columns as above; R: id,Ii,E.Ii,Var.Ii,Z.Ii,p,quadr
grep -v NaN "$R/expected_lisa_conditional.csv" >"$T/want"  # not the 2 islands (NaN in R)
for c in "3 2" "4 3" "5 4" "6 5" "7 6"; do
    set -- $c
    [ "$(close_cols "$T/lisa.csv" "$1" "$T/want" "$2" 1e-9)" = 376 ] || fail "LISA column $1 differs from spdep"
done
# the moments under total randomisation (spdep localmoran conditional=FALSE) in the _total columns
grep -v NaN "$R/expected_lisa_total.csv" >"$T/want_total"
for c in "8 3" "9 4" "10 5" "11 6"; do
    set -- $c
    [ "$(close_cols "$T/lisa.csv" "$1" "$T/want_total" "$2" 1e-9)" = 376 ] || fail "LISA total column $1 differs from spdep"
done
# quadrants: spdep's "pysal" quadrant, named High-High ... in R
awk -F, 'FNR==1 {next} FNR==NR {q[$1]=$7; next} ($1 in q) {sub("High-High","HH",q[$1]); sub("Low-Low","LL",q[$1]);
    sub("High-Low","HL",q[$1]); sub("Low-High","LH",q[$1]); if (q[$1] != $13) bad++; n++}
    END {exit !(n == 376 && bad == 0)}' "$T/want" "$T/lisa.csv" || fail "quadrants differ from spdep"
# the same run with --period-field writes the same file
sol spatial lisa $GEO --data "$DATA/lazio_irpef_income.csv" --var pct_income_0_10k --period-field year \
    --period 2021 --islands keep --permutations 0
cmp -s "$T/out" "$T/lisa.csv" || fail "--period-field result differs from the filtered file"
# Gi* (z) against spdep localG(include.self, style W)
sol spatial gistar $GEO --data "$T/y2021.csv" --var pct_income_0_10k --islands keep --permutations 0
expect_exit 0; cp "$T/out" "$T/gi.csv"
head -1 "$T/gi.csv" | grep -q "^id,value,G,z,p,p_perm$" || fail "gistar columns"
[ "$(close_cols "$T/gi.csv" 4 "$R/expected_localG_star_W.csv" 2 1e-9)" = 378 ] || fail "Gi* z differs from spdep"
# lisa --json: an object with one entry per area, same numbers as the CSV
sol spatial lisa $GEO --data "$T/y2021.csv" --var pct_income_0_10k --islands keep --permutations 0 --json
expect_exit 0; expect_out '"areas": \['; expect_out '"statistic": "local Moran Ii"'
! grep -q run_id "$T/out" || fail "file mode recorded a run"
[ "$(grep -c '"Ii":' "$T/out")" = 378 ] || fail "lisa --json lacks areas"
