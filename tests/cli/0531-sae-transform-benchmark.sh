# sae fh --transformation log|arcsin and --benchmark on emdi's EU-SILC district aggregates: the
# back-transformed estimates, their MSE and the benchmarked estimates against emdi + sae
# (tests/data/sae_transform/expected_areas.csv, 1e-8 relative)
D="$TOP/tests/data/sae_transform"
want() { # want CASE: id,est,mse of one case of the reference, unquoted
    awk -F, -v c="\"$1\"" 'NR == 1 { print "id,est,mse"; next } $1 == c { gsub(/"/, ""); print $2 "," $5 "," $6 }' \
        "$D/expected_areas.csv" >"$T/want.csv"
}
check() { # check GOTCOL WANTCOL N: column GOTCOL of out.csv against the reference, N areas
    local r; r=$(close_cols "$T/out.csv" "$1" "$T/want.csv" "$2" 1e-8)
    [ "$r" = "$3" ] || fail "column $1: $r (expected $3 compared)"
}
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
    --covariates cash,self_empl --transformation log --out "$T/out.csv"
expect_exit 0
head -1 "$T/out.csv" | grep -q '^id,direct,var_direct,eblup,mse,direct_t,var_direct_t,eblup_t,mse_t,gamma,synthetic_t$' ||
    fail "header: $(head -1 "$T/out.csv")"
want log_bc_reml; check 4 2 94; check 5 3 94
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
    --covariates cash,self_empl --transformation log --backtransform crude --method ml --out "$T/out.csv"
expect_exit 0; want log_crude_ml; check 4 2 94; check 5 3 94
# arcsin: no MSE, said in the note, an empty column and null in the JSON
sol sae fh --data "$D/eusilc_agg_missing.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --out "$T/out.csv"
expect_exit 0; expect_err 'no MSE for the bc back-transformation of arcsin'
want arcsin_bc_reml_oos; check 4 2 94
[ "$(awk -F, 'NR > 1 && $5 != ""' "$T/out.csv" | wc -l)" = 0 ] || fail "an arcsin MSE was printed"
sol sae fh --data "$D/eusilc_agg_missing.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --backtransform naive --json
expect_exit 0; expect_out '"transformation": "arcsin"'; expect_out '"backtransform": "naive"'
expect_out '"mse_method": "none'; expect_out '"mse": null'
# the same with 1 and 2 threads
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --out "$T/t1.csv"
OMP_NUM_THREADS=2 sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --out "$T/t2.csv"
expect_exit 0; cmp -s "$T/t1.csv" "$T/t2.csv" || fail "1 and 2 threads differ"
# the parametric bootstrap MSE: every area gets one, the same on 1 and 2 threads, seed in the JSON
sol sae fh --data "$D/eusilc_agg_missing.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --mse-boot 200 --seed 3 --out "$T/t1.csv"
expect_exit 0
OMP_NUM_THREADS=2 sol sae fh --data "$D/eusilc_agg_missing.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash,age_ben,rent,house_allow --transformation arcsin --mse-boot 200 --seed 3 --out "$T/t2.csv"
expect_exit 0; cmp -s "$T/t1.csv" "$T/t2.csv" || fail "bootstrap: 1 and 2 threads differ"
[ "$(awk -F, 'NR > 1 && $5 > 0' "$T/t1.csv" | wc -l)" = 94 ] || fail "not 94 bootstrap MSEs"
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct MTMED --eff-n n \
    --covariates cash --transformation arcsin --mse-boot 50 --seed 3 --json
expect_exit 0; expect_out '"mse_method": "parametric bootstrap'; expect_out '"mse_boot_replicates": 50'
expect_out '"seed": 3'
# benchmarking (emdi's example): ratio and raking, eblup kept, eblup_bench added
for ty in ratio raking; do
    sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
        --covariates cash,self_empl --method ml --benchmark 20140.09 --benchmark-weights ratio_n \
        --benchmark-type $ty --out "$T/out.csv"
    expect_exit 0
    head -1 "$T/out.csv" | grep -q ',eblup_bench$' || fail "no eblup_bench column"
    want bench_$ty; check 8 2 94
    awk -F, 'NR == FNR { gsub(/"/, ""); if (FNR > 1) w[$1] = $12; next } FNR > 1 { s += w[$1] * $8 }
             END { d = s - 20140.09; if (d < 0) d = -d; exit d > 1e-8 * 20140.09 }' \
        "$D/eusilc_agg.csv" "$T/out.csv" || fail "$ty: weighted sum is not the total"
done
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
    --covariates cash,self_empl --benchmark 20140.09 --benchmark-weights ratio_n --json
expect_exit 0; expect_out '"type": "raking"'; expect_out '"eblup_bench": '
# one total per state (--benchmark-file, --benchmark-by), within-state shares as weights
for ty in ratio raking; do
    sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
        --covariates cash,self_empl --method ml --benchmark-file "$D/state_totals.csv" \
        --benchmark-by state --benchmark-weights state_share --benchmark-type $ty --out "$T/out.csv"
    expect_exit 0
    want bench_by_$ty; check 8 2 94
done
sol sae fh --data "$D/eusilc_agg.csv" --id-field Domain --direct Mean --var Var_Mean \
    --covariates cash,self_empl --benchmark-file "$D/state_totals.csv" --benchmark-by state \
    --benchmark-weights state_share --json
expect_exit 0; expect_out '"by": "state"'
