# Income from its components (R laeken's eqInc on data(eusilc), 1e-10): personal components summed
# over the members ('+'), household components added once and hy130n/hy145n subtracted ('-'), the
# scale from the ages; the same from a household file; bad component input.
D="$TOP/tests/data/poverty_eusilc_components"
P=py010n+py050n+py090n+py100n+py110n+py120n+py130n+py140n
H=hy040n+hy050n+hy070n+hy080n+hy090n+hy110n-hy130n-hy145n
check() {
    awk -F, 'NR == FNR { if (FNR > 1) want[$1] = $0; next }
        FNR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
        ($1 in want) { split(want[$1], e, ","); seen++
            got[3] = $c["median_income"]; got[4] = $c["poverty_line"]; got[5] = $c["arop"]; got[6] = $c["gini"]; got[7] = $c["qsr"]
            for (k = 3; k <= 7; k++) { d = got[k] - e[k]; if (d < 0) d = -d
                if (d > 1e-10 * e[k]) { print $1 " column " k ": " got[k] " vs " e[k]; bad = 1 } } }
        END { exit !(seen == 3 && !bad) }' "$D/expected.csv" "$1" || fail "estimates differ from laeken's eqInc"
}
sol poverty --microdata "$D/persons.csv" --weight rb050 --income "$P" --hh-components "$H" \
    --household-id db030 --age age --by db040 --out "$T/one.csv"
expect_exit 0; check "$T/one.csv"
expect_err "1984 empty income component cells counted as 0"
# the household components from a household file (one row per household)
cut -d, -f1,2,3,4,5-12 "$D/persons.csv" >"$T/p.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 || !seen[$1]++ { o = $1; for (k = 13; k <= 20; k++) o = o "," $k; print o }' \
    "$D/persons.csv" >"$T/h.csv"
sol poverty --microdata "$T/p.csv" --households "$T/h.csv" --household-id db030 --weight rb050 \
    --income "$P" --hh-components "$H" --age age --by db040 --out "$T/two.csv"
expect_exit 0; check "$T/two.csv"
cmp -s "$T/one.csv" "$T/two.csv" || fail "one file and two files differ"
# bad input: components that disagree within a household, a bad expression, a missing column
awk -F, 'BEGIN { OFS = "," } NR == 3 { $13 = 1 } { print }' "$D/persons.csv" >"$T/bad.csv"
sol poverty --microdata "$T/bad.csv" --weight rb050 --income "$P" --hh-components "$H" --household-id db030 --age age
expect_exit 1; expect_err "household '12': household income components .* on data row 1 but .* on data row 2"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income "py010n++py050n" --household-id db030 --age age
expect_exit 2; expect_err "--income 'py010n\+\+py050n': expected columns joined by"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income "$P+py999n" --household-id db030 --age age
expect_exit 1; expect_err "no column 'py999n' \(income component\)"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income "$P" --hh-components "$H" --equivalised
expect_exit 2; expect_err "--hh-components needs --household-id and --age"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income "$P" --hh-components "$H" --household-id db030 --age age --hh-income given
expect_exit 2; expect_err "drop --hh-income given"
# the same roles from a column map; a flag given too wins
printf '{"microdata": "%s", "weight": "rb050", "income": "%s", "hh_components": "%s",\n "household_id": "db030", "age": "age", "by": "db040"}\n' \
    "$D/persons.csv" "$P" "$H" >"$T/map.json"
sol poverty --columns "$T/map.json" --out "$T/map.csv"
expect_exit 0
cmp -s "$T/one.csv" "$T/map.csv" || fail "the column map does not give the flags' estimates"
sol poverty --columns "$T/map.json" --by age --out "$T/map2.csv"
expect_exit 0; grep -q '^62,' "$T/map2.csv" || fail "--by on the command line should win over the map"
printf '{"weight": "rb050", "incme": "x"}\n' >"$T/bad.json"
sol poverty --columns "$T/bad.json" --microdata "$D/persons.csv" --income py010n
expect_exit 1; expect_err "bad.json: 'incme': expected one of microdata, weight, income"
printf '{"weight": "rb050",\n "income" "x"}\n' >"$T/bad2.json"
sol poverty --columns "$T/bad2.json"
expect_exit 1; expect_err "bad2.json:2:"
