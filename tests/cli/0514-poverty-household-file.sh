# Household-level columns in their own file (EU-SILC's H and D files beside the person file):
# joined by household id, the estimates equal those of the single person-level file, and with the
# scale from the members' ages they give laeken's figures (tests/data/poverty_eusilc_oecd, 1e-10).
# A household without person rows, a person without a household, a household twice: errors.
D="$TOP/tests/data/poverty_eusilc_oecd"
awk -F, 'BEGIN { OFS = "," } { print $1, $2, $5 }' "$D/persons.csv" >"$T/p.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print "hid,db040,hsize,hinc"; next } !seen[$1]++ { print $1, $4, $3, $6 }' \
    "$D/persons.csv" >"$T/h.csv"
[ "$(wc -l <"$T/h.csv")" = 6001 ] || fail "expected 6000 households"
check_total() {
    awk -F, -v ref="$D/expected.csv" 'BEGIN { getline h <ref; getline l <ref; split(l, e, ",") }
        $1 == "total" { got[1] = $4; got[2] = $5; got[3] = $6; got[4] = $11; got[5] = $12
            for (k = 1; k <= 5; k++) { d = got[k] - e[k]; if (d < 0) d = -d
                if (d > 1e-10 * (e[k] < 0 ? -e[k] : e[k])) { print "column " k ": " got[k] " vs " e[k]; bad = 1 } }
            seen = 1 }
        END { exit !(seen && !bad) }' "$T/out" || fail "total row differs from laeken"
}
sol poverty --microdata "$T/p.csv" --households "$T/h.csv" --household-id db030 --households-id hid \
    --weight rb050 --income hinc --age age --hh-size hsize --by db040
expect_exit 0; check_total
cp "$T/out" "$T/two.csv"
sol poverty --microdata "$D/persons.csv" --weight rb050 --income hinc --household-id db030 --age age \
    --hh-size hsize --by db040
expect_exit 0
cmp -s "$T/out" "$T/two.csv" || fail "the joined files do not give the single file's estimates"
# the area code, the size and the income from the household file, no ages: the size gives the
# scale (children unknown: every member counts as 14 or more), as the single file would
sol poverty --microdata "$T/p.csv" --households "$T/h.csv" --household-id db030 --households-id hid \
    --weight rb050 --income hinc --hh-size hsize --by db040
expect_exit 0; expect_lines 11
# bad input: each names the household and the file
awk -F, 'BEGIN { OFS = "," } { print } END { print "99999,Tyrol,2,30000" }' "$T/h.csv" >"$T/h_extra.csv"
sol poverty --microdata "$T/p.csv" --households "$T/h_extra.csv" --household-id db030 --households-id hid \
    --weight rb050 --income hinc --age age
expect_exit 1; expect_err "h_extra.csv: data row 6001: household '99999' has no members in .*p.csv"
awk -F, 'NR != 2' "$T/h.csv" >"$T/h_missing.csv"
sol poverty --microdata "$T/p.csv" --households "$T/h_missing.csv" --household-id db030 --households-id hid \
    --weight rb050 --income hinc --age age
expect_exit 1; expect_err "p.csv: data row 1: household '1' is not in .*h_missing.csv"
awk -F, '{ print } NR == 2 { print }' "$T/h.csv" >"$T/h_twice.csv"
sol poverty --microdata "$T/p.csv" --households "$T/h_twice.csv" --household-id db030 --households-id hid \
    --weight rb050 --income hinc --age age
expect_exit 1; expect_err "h_twice.csv: household '1' on data rows 1 and 2"
sol poverty --microdata "$T/p.csv" --households "$T/h.csv" --weight rb050 --income hinc
expect_exit 2; expect_err "--households needs --household-id"
sol poverty --microdata "$T/p.csv" --households "$T/h.csv" --household-id db030 --weight rb050 --income hinc
expect_exit 1; expect_err "hid|db030"
