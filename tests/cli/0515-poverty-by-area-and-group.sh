# --by FIELD,GROUP: every area, every area x group cell and every group over all areas, with the
# whole population's line and the design's SEs, as R laeken and survey compute them
# (tests/data/poverty_eusilc_groups, 1e-10 relative); the area rows are those of --by FIELD alone.
D="$TOP/tests/data/poverty_eusilc_groups"
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040,rb090 --strata db040 --psu db030 --out "$T/got.csv"
expect_exit 0
head -1 "$T/got.csv" | grep -q ',cv_arop,flag,group$' || fail "no group column"
[ "$(wc -l <"$T/got.csv")" = $((1 + 9 + 18 + 2 + 1)) ] || fail "expected 9 regions, 18 cells, 2 groups and the total"
# every expected cell and group row, every column, joined on domain and group
awk -F, -v tol=1e-10 'NR == FNR { if (FNR == 1) { for (k = 1; k <= NF; k++) ec[$k] = k; next }
        want[$1 "|" $2] = $0; next }
    FNR == 1 { for (k = 1; k <= NF; k++) gc[$k] = k; next }
    $gc["group"] != "" { key = $1 "|" $gc["group"]; if (!(key in want)) { print "unexpected row " key; bad = 1; next }
        split(want[key], e, ","); seen++
        split("n weighted_n median_income poverty_line arop fgt1 fgt2 rmpg gini qsr arop_se", cols, " ")
        for (c in cols) { x = $gc[cols[c]]; y = e[ec[cols[c]]]; d = x - y; if (d < 0) d = -d
            if (d > tol * (y < 0 ? -y : y) + 1e-300) { print key " " cols[c] ": " x " vs " y; bad = 1 } } }
    END { if (seen != 20) { print "compared " seen " rows, expected 20"; bad = 1 } exit bad }' \
    "$D/expected.csv" "$T/got.csv" || fail "estimates by region and sex differ from laeken/survey"
# the area rows and the total are those of --by db040
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040 --strata db040 --psu db030 --out "$T/areas.csv"
expect_exit 0
diff <(tail -n +2 "$T/areas.csv") <(awk -F, 'NR > 1 && $NF == ""' "$T/got.csv" | sed 's/,$//') >/dev/null \
    || fail "the area rows differ from --by db040 alone"
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040,rb090 --json
expect_exit 0; expect_out '"group": "female"'; expect_out '"group": null'
# bad combinations
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome --by db040,
expect_exit 2; expect_err "--by is FIELD or FIELD,GROUP"
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040,rb090 --line-by-domain
expect_exit 2; expect_err "--line-by-domain takes one --by FIELD"
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040,sexx
expect_exit 1; expect_err "no column 'sexx' \(group code\)"
