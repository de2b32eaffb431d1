# poverty on eusilc: laeken's published whole-population figures appear in the total row.
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome \
    --by db040 --strata db040 --psu db030
expect_exit 0
expect_lines 11
expect_out '^domain,n,weighted_n,median_income,poverty_line,arop,arop_se,fgt1,fgt2,rmpg,gini,qsr,cv_arop,flag$'
expect_out '^total,14827,8182222,18098.72666666666[0-9]*,10859.23599999999[0-9]*,0.1444421816753[0-9]*,'
sol poverty --microdata "$TOP/tests/data/poverty_eusilc/eusilc.csv" --weight rb050 --income eqIncome --json
expect_exit 0; expect_out '"gini": 0.2648961921132'
# household income with the modified OECD scale: 2 adults + 1 child = 1.8
printf 'w,inc,size,kids\n1,18000,3,1\n1,9000,1,0\n1,30000,2,0\n' >"$T/h.csv"
sol poverty --microdata "$T/h.csv" --weight w --income inc --hh-size size --children kids
expect_exit 0; expect_out '^total,3,3,10000,6000,0,'
