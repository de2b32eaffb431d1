# transformations and benchmarking refuse bad input with the file, line, column and area
printf 'id,y,v,n,x,w\na,0.2,0.01,30,1,0.25\nb,0,0.01,20,2,0.25\nc,0.5,0.02,25,3,0.25\nd,0.4,0.01,40,1,0.25\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x --transformation log
expect_exit 1; expect_err "d.csv:3:3: the direct estimate of area 'b' is 0: --transformation log needs values above 0"
sed 's/^c,0.5/c,1.5/' "$T/d.csv" >"$T/e.csv"
sol sae fh --data "$T/e.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin
expect_exit 1; expect_err "e.csv:4:3: the direct estimate of area 'c' is 1.5: --transformation arcsin is for proportions between 0 and 1"
sed 's/^d,0.4,0.01,40/d,0.4,0.01,0/' "$T/d.csv" >"$T/e.csv"
sol sae fh --data "$T/e.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin
expect_exit 1; expect_err "e.csv:5:12: the effective sample size of area 'd' is 0: it must be above 0"
sed 's/^d,0.4,0.01,40/d,0.4,0.01,/' "$T/d.csv" >"$T/e.csv"
sol sae fh --data "$T/e.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin
expect_exit 1; expect_err "e.csv:5:12: area 'd' has a direct estimate but no effective sample size in 'n'"
sol sae fh --data "$T/d.csv" --id-field id --direct y --covariates x --transformation arcsin
expect_exit 2; expect_err "eff-n"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x --backtransform naive
expect_exit 2; expect_err "needs --transformation"
sol sae fh --data "$T/d.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin --backtransform crude
expect_exit 2; expect_err "crude is for --transformation log"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x --benchmark inf --benchmark-weights w
expect_exit 2; expect_err "--benchmark needs a finite number"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x --benchmark 0.3
expect_exit 2; expect_err "go together"
sed 's/,0.25$/,0/' "$T/d.csv" >"$T/e.csv"
sol sae fh --data "$T/e.csv" --id-field id --direct y --var v --covariates x --benchmark 0.3 --benchmark-weights w
expect_exit 1; expect_err "weights sum to 0: they must sum to a positive number"
sed 's/^b,\(.*\),0.25$/b,\1,-0.25/' "$T/d.csv" >"$T/e.csv"
sol sae fh --data "$T/e.csv" --id-field id --direct y --var v --covariates x --benchmark 0.3 --benchmark-weights w
expect_exit 1; expect_err "e.csv:3:15: benchmark weight in column .w. must be zero or more"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x --transformation log --mse-boot 100
expect_exit 2; expect_err "--mse-boot is for --transformation arcsin"
sol sae fh --data "$T/d.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin --seed 4
expect_exit 2; expect_err "--seed goes with --mse-boot"
sol sae fh --data "$T/d.csv" --id-field id --direct y --eff-n n --covariates x --transformation arcsin --mse-boot 0
expect_exit 2; expect_err "--mse-boot needs 1 to"
# totals per higher-level area: a missing, duplicated or non-numeric total
printf 'id,y,v,x,w,g\na,1,0.1,1,0.5,N\nb,2,0.1,2,0.5,N\nc,3,0.2,3,1,S\nd,2,0.1,1,0.3,T\n' >"$T/g.csv"
printf 'g,total\nN,1.5\nS,3\n' >"$T/t.csv"
sol sae fh --data "$T/g.csv" --id-field id --direct y --var v --covariates x --benchmark-file "$T/t.csv" --benchmark-by g --benchmark-weights w
expect_exit 1; expect_err "t.csv: g 'T' \(area 'd' of .*g.csv\) has no total"
printf 'g,total\nN,1.5\nS,3\nT,x\n' >"$T/t.csv"
sol sae fh --data "$T/g.csv" --id-field id --direct y --var v --covariates x --benchmark-file "$T/t.csv" --benchmark-by g --benchmark-weights w
expect_exit 1; expect_err "t.csv:4:3"
printf 'g,total\nN,1.5\nS,3\nT,1\nN,2\n' >"$T/t.csv"
sol sae fh --data "$T/g.csv" --id-field id --direct y --var v --covariates x --benchmark-file "$T/t.csv" --benchmark-by g --benchmark-weights w
expect_exit 1; expect_err "not unique"
sol sae fh --data "$T/g.csv" --id-field id --direct y --var v --covariates x --benchmark 3 --benchmark-file "$T/t.csv" --benchmark-by g --benchmark-weights w
expect_exit 2; expect_err "not both"
sed 's/,0.3,T$/,0,T/' "$T/g.csv" >"$T/g0.csv"
printf 'g,total\nN,1.5\nS,3\nT,1\n' >"$T/t.csv"
sol sae fh --data "$T/g0.csv" --id-field id --direct y --var v --covariates x --benchmark-file "$T/t.csv" --benchmark-by g --benchmark-weights w
expect_exit 1; expect_err "g 'T': the benchmark weights sum to 0"
