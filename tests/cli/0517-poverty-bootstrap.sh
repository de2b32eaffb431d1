# --bootstrap R --seed S: the ARPR's SE from Rao-Wu replicates (the line re-estimated in each;
# survey's own replicate weights give convey's SEs in the unit test test_bootstrap), the same on
# one and two threads, near the linearised SE, every estimate's SE in the JSON; bad options.
E="$TOP/tests/data/poverty_eusilc/eusilc.csv"
OMP_NUM_THREADS=1 sol poverty --microdata "$E" --weight rb050 --income eqIncome --by db040 \
    --strata db040 --psu db030 --bootstrap 100 --seed 11 --out "$T/one.csv"
expect_exit 0; expect_err "bootstrap: 100 replicates"
OMP_NUM_THREADS=2 sol poverty --microdata "$E" --weight rb050 --income eqIncome --by db040 \
    --strata db040 --psu db030 --bootstrap 100 --seed 11 --out "$T/two.csv"
expect_exit 0
cmp -s "$T/one.csv" "$T/two.csv" || fail "the bootstrap differs between one and two threads"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --by db040 \
    --strata db040 --psu db030 --out "$T/lin.csv"
expect_exit 0
# the point estimates are the same; the SEs are near the linearised ones (100 replicates: within 30%)
cut -d, -f1-6,8-12 "$T/one.csv" | cmp -s - <(cut -d, -f1-6,8-12 "$T/lin.csv") || fail "point estimates changed"
paste -d, "$T/one.csv" "$T/lin.csv" | awk -F, 'NR > 1 { r = $7 / $21; if (r < 0.7 || r > 1.3) { print $1 ": " $7 " vs " $21; bad = 1 } }
    END { exit bad }' || fail "bootstrap SEs far from the linearised ones"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --by db040 \
    --strata db040 --psu db030 --bootstrap 100 --seed 12 --out "$T/other.csv"
cmp -s "$T/one.csv" "$T/other.csv" && fail "another seed gave the same replicates"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --bootstrap 50 --seed 1 --json
expect_exit 0
jq -e '.arop_se_method | test("Rao-Wu rescaling bootstrap, 50 replicates, seed 1")' "$T/out" >/dev/null || fail "no SE method"
jq -e '.domains[0].bootstrap_se | (.gini > 0) and (.qsr > 0) and (.median_income > 0) and .dropped_replicates == 0' \
    "$T/out" >/dev/null || fail "no bootstrap SEs of the other estimates"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --bootstrap 50
expect_exit 0; expect_err "without --seed uses seed 1"
# bad options
sol poverty --microdata "$E" --weight rb050 --income eqIncome --bootstrap 1
expect_exit 2; expect_err "--bootstrap needs a number of replicates from 2"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --bootstrap 20 --seed -3
expect_exit 2; expect_err "--seed needs a whole number"
sol poverty --microdata "$E" --weight rb050 --income eqIncome --strata age --psu db030 --lonely-psu fail --bootstrap 20 --seed 1
expect_exit 1; expect_err "has a single PSU"
# the file's own replicate weights: survey's subbootstrap weights for Burgenland and Vorarlberg
# (tests/data/poverty_bootstrap: draw counts per household) give convey's SEs at 1e-8
B="$TOP/tests/data/poverty_bootstrap"
awk -F, 'NR == FNR { if (FNR > 1) { for (r = 3; r <= 22; r++) cnt[$1, r - 2] = $r; nh[$2] += 1 } next }
    FNR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; printf "%s", $0; for (r = 1; r <= 20; r++) printf ",rw%d", r; print ""; next }
    $c["db040"] == "Burgenland" || $c["db040"] == "Vorarlberg" { printf "%s", $0; n = nh[$c["db040"]]
        for (r = 1; r <= 20; r++) printf ",%.17g", $c["rb050"] * (cnt[$c["db030"], r] * n / (n - 1)); print "" }' \
    "$B/counts.csv" "$E" >"$T/rw.csv"
[ "$(wc -l <"$T/rw.csv")" = 1283 ] || fail "expected 1282 persons"
sol poverty --microdata "$T/rw.csv" --weight rb050 --income eqIncome --by db040 --strata db040 --psu db030 \
    --replicate-weights rw --out "$T/rw_out.csv"
expect_exit 0; expect_err "replicate weights: 20 replicates"
awk -F, 'NR == FNR { if (FNR > 1) want[$1] = $2; next } FNR > 1 { d = $7 - want[$1]; if (d < 0) d = -d
        if (!($1 in want) || d > 1e-8 * want[$1]) { print $1 ": " $7 " vs " want[$1]; bad = 1 } seen++ }
    END { exit bad || seen != 3 }' "$B/expected.csv" "$T/rw_out.csv" || fail "replicate-weight SEs differ from convey"
sol poverty --microdata "$T/rw.csv" --weight rb050 --income eqIncome --replicate-weights rw --json
expect_exit 0; jq -e '.arop_se_method | test("replicate weights rw1..rw20")' "$T/out" >/dev/null || fail "no SE method"
sol poverty --microdata "$T/rw.csv" --weight rb050 --income eqIncome --replicate-weights rx
expect_exit 1; expect_err "expected columns rx1, rx2, ... numbered without gaps \(found 0"
cut -d, -f1-12,14- "$T/rw.csv" | sed '1s/,rw1,/,rw1,/' >"$T/gap.csv"
sol poverty --microdata "$T/gap.csv" --weight rb050 --income eqIncome --replicate-weights rw
expect_exit 1; expect_err "and more after a gap"
sol poverty --microdata "$T/rw.csv" --weight rb050 --income eqIncome --replicate-weights rw --bootstrap 20
expect_exit 2; expect_err "give one"
