# The modified OECD scale from person ages grouped by household (R laeken eqSS on eusilc): the
# income equivalised with it gives laeken's median, line, ARPR, Gini and S80/S20 (1e-10), with the
# household income given on every member row or summed from persons; a household size that
# disagrees with the member rows and member rows that disagree on the household income are errors.
D="$TOP/tests/data/poverty_eusilc_oecd"
check_total() {
    awk -F, -v ref="$D/expected.csv" 'BEGIN { getline h <ref; getline l <ref; split(l, e, ",") }
        $1 == "total" { got[1] = $4; got[2] = $5; got[3] = $6; got[4] = $11; got[5] = $12
            for (k = 1; k <= 5; k++) { d = got[k] - e[k]; if (d < 0) d = -d
                if (d > 1e-10 * (e[k] < 0 ? -e[k] : e[k])) { print "column " k ": " got[k] " vs " e[k]; bad = 1 } }
            seen = 1 }
        END { exit !(seen && !bad) }' "$T/out" || fail "total row differs from laeken"
}
sol poverty --microdata "$D/persons.csv" --weight rb050 --income hinc --household-id db030 --age age \
    --hh-size hsize --by db040
expect_exit 0; check_total
sol poverty --microdata "$D/persons.csv" --weight rb050 --income pinc --household-id db030 --age age \
    --hh-income sum
expect_exit 0; check_total
# a member missing from the file: household 1 has size 3 but two rows
awk -F, 'NR != 3' "$D/persons.csv" >"$T/missing.csv"
sol poverty --microdata "$T/missing.csv" --weight rb050 --income hinc --household-id db030 --age age \
    --hh-size hsize
expect_exit 1; expect_err "household '1' has 2 member rows but household size 3"
# member rows that disagree on the household income
awk -F, 'BEGIN { OFS = "," } NR == 3 { $6 = 1 } { print }' "$D/persons.csv" >"$T/disagree.csv"
sol poverty --microdata "$T/disagree.csv" --weight rb050 --income hinc --household-id db030 --age age
expect_exit 1; expect_err "household '1': income .* --hh-income sum"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income hinc --household-id db030
expect_exit 2; expect_err "--household-id needs --age \(or --households\)"
