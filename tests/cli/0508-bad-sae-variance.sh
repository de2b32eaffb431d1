# direct variances that are zero or negative are refused, naming the area
printf 'id,y,v,x\na,1,0.1,1\nb,2,0,2\nc,3,0.2,3\nd,2,0.1,1\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x
expect_exit 1; expect_err "direct variance of area 'b' is 0: it must be positive"
printf 'id,y,v,x\na,1,0.1,1\nb,2,-0.3,2\nc,3,0.2,3\nd,2,0.1,1\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x
expect_exit 1; expect_err "area 'b' is -0.3"
printf 'id,y,se,x\na,1,0.1,1\nb,2,-0.3,2\nc,3,0.2,3\nd,2,0.1,1\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --se se --covariates x
expect_exit 1; expect_err "standard error of area 'b' is -0.3"
printf 'id,y,v,x\na,1,0.1,1\na,2,0.1,2\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v
expect_exit 1; expect_err "not unique"
