# Store mode on the real Lazio data: --indicator/--period replaces --geo/--data/--var; Moran, LISA
# and Gi* match the R spdep references and each is recorded as a run with its method card.
R=$TOP/tests/data/spatial_lazio
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year
expect_exit 0
# spdep's moran.test is one-sided by default; ours is two-sided unless told
sol spatial moran --indicator pct_income_0_10k --period 2021 --islands keep --alternative greater --json
expect_exit 0; expect_err "recorded as run 1; 'solidata runs show 1'"; expect_out '"run_id": 1'
awk -F, '$1=="pct_income_0_10k" && $2=="queen_W" && $3==1 {print "id,I,z,p\nx," $4 "," $7 "," $8}' "$R/expected_moran.csv" >"$T/want"
printf 'id,I,z,p\nx,%s,%s,%s\n' "$(grep '"I":' "$T/out" | tr -dc '0-9.e-')" \
    "$(grep '"z_randomisation":' "$T/out" | tr -dc '0-9.e-')" "$(grep '"p_randomisation":' "$T/out" | sed 's/.*: //; s/,//')" >"$T/got"
for c in 2 3 4; do [ "$(close_cols "$T/got" $c "$T/want" $c 1e-9)" = 1 ] || fail "Moran column $c differs from spdep"; done
sol spatial lisa --indicator pct_income_0_10k --period 2021 --islands keep --permutations 99 --seed 7 --out "$T/lisa.csv"
expect_exit 0; expect_err "recorded as run 2"
grep -v NaN "$R/expected_lisa_conditional.csv" >"$T/want"
for c in "3 2" "6 5" "7 6"; do
    set -- $c
    [ "$(close_cols "$T/lisa.csv" "$1" "$T/want" "$2" 1e-9)" = 376 ] || fail "LISA column $1 differs from spdep"
done
# the printed output is the file mode's: same file from the file-mode command
awk -F, 'NR==1 || $4==2021' "$DATA/lazio_irpef_income.csv" >"$T/y.csv"
sol spatial lisa --geo "$DATA/lazio_municipalities.geojson" --id-field istat_code --data "$T/y.csv" \
    --var pct_income_0_10k --islands keep --permutations 99 --seed 7
cmp -s "$T/out" "$T/lisa.csv" || fail "store and file mode differ"
sol spatial gistar --indicator pct_income_0_10k --islands keep --json
expect_exit 0; expect_err "recorded as run 3"; expect_out '"statistic": "Gi\*"'; expect_out '"run_id": 3'
# runs: kinds, method card with the reference and the human choices, the result
sol runs; expect_exit 0
expect_out '^3,spatial.gistar,'; expect_out '^2,spatial.lisa,'; expect_out '^1,spatial.moran,'
sol runs show 2; expect_exit 0
expect_out '"reference": "Anselin 1995; Sokal, Oden & Thomson 1998; spdep localmoran conditional"'
expect_out '"permutations": 99'; expect_out '"seed": 7'; expect_out '"islands": "keep"'
expect_out '"alpha": 0.05'; expect_out '"adjust": "none"'; expect_out '"weights": "queen"'
expect_out '"indicator": "pct_income_0_10k"'; expect_out '"period": "2021"'
expect_out '"name": "lazio_municipalities.geojson"'; expect_out '"cluster": "(HH|LL|NS|HL|LH)"'
[ "$(grep -c '"Ii":' "$T/out")" = 378 ] || fail "the run's result lacks per-area rows"
# no period: the latest (2021); weights in store mode are not a run
sol spatial weights --indicator pct_income_0_10k --islands keep --out "$T/e.csv"
expect_exit 0; expect_err "378 areas, $(($(wc -l <"$R/expected_nb_queen.csv") - 1)) links, 2 islands"  # as spdep poly2nb
! grep -q "recorded" "$T/err" || fail "weights recorded a run"
sol runs; expect_lines 4
# unknown indicator / period: clear errors, nothing recorded
sol spatial moran --indicator nosuch --islands keep; expect_exit 1; expect_err "no indicator 'nosuch' in the store"
sol spatial moran --indicator pct_income_0_10k --period 1999 --islands keep; expect_exit 1; expect_err "no period '1999'"
sol spatial moran --indicator pct_income_0_10k --data x.csv; expect_exit 2; expect_err "does not go with"
sol runs; expect_lines 4
