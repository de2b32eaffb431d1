# analyses_lib.sh - a store with the analyses the dashboard and the report read: the 20 regions with
# the BES indicators and a composite index run (examples/bes-wellbeing.json with 200 draws), the
# 378 Lazio municipalities with IRPEF income, a LISA run (499 permutations) of the share of low
# incomes and Fay-Herriot estimates stored with their SEs. Outputs in $T: index.csv, lisa.csv, fh.csv.
with_analyses() {
    with_regions
    sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name \
        --level municipality --licence "CC BY 4.0"; expect_exit 0
    sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
        --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" \
        --licence "CC BY 3.0" --attribution "Fonte: Istat"; expect_exit 0
    sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year \
        --indicator-meta "$DATA/lazio_irpef_indicators.csv" --licence "CC BY 4.0"; expect_exit 0
    sed 's/"replications": *[0-9]*/"replications": 200/' "$TOP/examples/bes-wellbeing.json" >"$T/spec.json"
    sol index --spec "$T/spec.json" --out "$T/index.csv"; expect_exit 0
    sol spatial lisa --indicator pct_income_0_10k --period 2021 --islands keep --permutations 499 \
        --seed 1 --inference perm --out "$T/lisa.csv"; expect_exit 0
    awk -F, 'NR == 1 || $4 == 2021' "$DATA/lazio_irpef_income.csv" |
        awk -F, 'BEGIN { OFS = "," }
            NR == 1 { print "istat_code,p_low_income,var_p,pct_pension_recipients"; next }
            { p = $29 / 100; print $1, p, p * (1 - p) / $5, $33 }' >"$T/direct.csv"
    sol sae fh --data "$T/direct.csv" --id-field istat_code --direct p_low_income --var var_p \
        --covariates pct_pension_recipients --out "$T/fh.csv" --store-as FH_LOWINC_0_10K --period 2021
    expect_exit 0
}
