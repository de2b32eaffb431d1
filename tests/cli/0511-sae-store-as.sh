# store mode: EBLUPs written as observations with SE and the 'estimated' flag, one derived source
# and one run; an unknown area leaves the store unchanged
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --level municipality
expect_exit 0
awk -F, 'NR == 1 || $4 == 2021' "$DATA/lazio_irpef_income.csv" | \
  awk -F, 'BEGIN{OFS=","} NR==1{print "istat_code,p,v,x"; next} {p=$29/100; print $1,p,p*(1-p)/$5,$26}' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field istat_code --direct p --var v --covariates x \
    --store-as FH_LOWINC --period 2021
expect_exit 0; expect_err 'stored 378 estimates of FH_LOWINC at 2021'
sol export data --indicator FH_LOWINC --out "$T/x.csv"; expect_exit 0
[ "$(grep -c ',FH_LOWINC,.*,estimated$' "$T/x.csv")" = 378 ] || fail "not 378 estimated rows: $(head -3 "$T/x.csv")"
sol catalog; expect_out 'derived: sae.fh FH_LOWINC,1,current,derived:sae.fh'
sol runs; expect_out 'sae.fh'
# the stored estimate says which way is better, so maps and ranks read it the right way round
sol sae fh --data "$T/d.csv" --id-field istat_code --direct p --var v --covariates x \
    --store-as FH_LOWINC2 --period 2021 --polarity lower_better --label "Low-income share" --unit share
expect_exit 0
sol indicators; expect_out '^FH_LOWINC2,Low-income share,share,lower_better'
sol sae fh --data "$T/d.csv" --id-field istat_code --direct p --var v --covariates x --polarity up
expect_exit 2; expect_err "describe --store-as"
sol sae fh --data "$T/d.csv" --id-field istat_code --direct p --var v --covariates x \
    --store-as FH_LOWINC3 --period 2021 --polarity up
expect_exit 2; expect_err "higher_better or lower_better"
snapshot
printf 'istat_code,p,v,x\n999999,0.3,0.01,1\n058091,0.2,0.01,2\n058001,0.25,0.01,3\n058002,0.1,0.02,1\n' >"$T/bad.csv"
sol sae fh --data "$T/bad.csv" --id-field istat_code --direct p --var v --covariates x \
    --store-as FH_LOWINC --period 2021
expect_exit 1; expect_err "area '999999' is not in the store"
expect_unchanged
