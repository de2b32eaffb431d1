# 50-poverty.sh - demo step: direct poverty estimates with SEs on synthetic EU-SILC microdata, and
# Fay-Herriot small area estimates of the low-income share in Lazio.
echo
echo "== Direct poverty estimates with design-based SEs: synthetic Austrian EU-SILC microdata"
echo "   (R laeken's eusilc, GPL; households as PSUs within regions as strata)"
run poverty --microdata "$here/../tests/data/poverty_eusilc/eusilc.csv" --weight rb050 \
    --income eqIncome --by db040 --strata db040 --psu db030 --out "$out/poverty_eusilc.csv"
cut -d, -f1,2,6,7,10,11,12,14 "$out/poverty_eusilc.csv" | tr , "\t"
echo "   arop_se includes the estimated line's own variance (as R convey). The same by region and"
echo "   sex, with bootstrap SEs (200 Rao-Wu replicates, the line re-estimated in each):"
run poverty --microdata "$here/../tests/data/poverty_eusilc/eusilc.csv" --weight rb050 \
    --income eqIncome --by db040,rb090 --strata db040 --psu db030 --bootstrap 200 --seed 1 \
    --out "$out/poverty_eusilc_sex_bootstrap.csv"
grep -E '^(Vienna|total),' "$out/poverty_eusilc_sex_bootstrap.csv" | cut -d, -f1,2,6,7,14,15 | tr , "\t"
echo
echo "== Small area estimation (Fay-Herriot) of the share of taxpayers under 10,000 EUR, 2021"
echo "   A DEMONSTRATION, NOT A SURVEY: no survey is bundled, so the MEF IRPEF share of taxpayers"
echo "   with income 0-10k (pct_income_0_10k) plays the direct estimate p, with a binomial variance"
echo "   p(1-p)/taxpayers as if the taxpayers were a simple random sample; covariate: the share of"
echo "   pension recipients. Real use: survey direct estimates and their design variances."
awk -F, 'NR == 1 || $4 == 2021' "$D/lazio_irpef_income.csv" |
    awk -F, 'BEGIN { OFS = "," }
        NR == 1 { print "istat_code,name,p_low_income,var_p,pct_pension_recipients"; next }
        { p = $29 / 100; print $1, $2, p, p * (1 - p) / $5, $33 }' >"$out/lazio_direct_2021.csv"
run sae fh --data "$out/lazio_direct_2021.csv" --id-field istat_code --direct p_low_income \
    --var var_p --covariates pct_pension_recipients --out "$out/fh_lazio.csv" \
    --store-as FH_LOWINC_0_10K --period 2021 --polarity lower_better \
    --label "Share of taxpayers under 10,000 EUR, small area estimate (demonstration)" --unit share
"$S" sae fh --data "$out/lazio_direct_2021.csv" --id-field istat_code --direct p_low_income \
    --var var_p --covariates pct_pension_recipients --json >"$out/fh_lazio.json"
grep -E '"(method|sigma2_u|term|estimate|se|loglik|iterations|converged)"' "$out/fh_lazio.json" |
    head -n 14 | tr -s ' ' | tr -d '\n'
echo
echo "   $out/fh_lazio.csv: id,direct,var_direct,eblup,mse,gamma,synthetic (first rows)"
sed -n 1,4p "$out/fh_lazio.csv"
