# a fit that cannot invert X'V^-1X says what was found: collinear covariates by name, a dummy
# level without any direct estimate, or (covariates not collinear) a Fisher step of sigma2_u
# below minus the smallest direct variance
printf 'id,y,v,x\na,1.2,0.001,0.1\nb,1.61,0.001,0.3\nc,2.0,0.001,0.5\nd,2.39,0.001,0.7\ne,2.81,0.001,0.9\nf,1.41,2,0.2\ng,1.8,2,0.4\nh,2.2,2,0.6\ni,2.61,2,0.8\nj,3.0,2,1.0\n' >"$T/d.csv"
sol sae fh --data "$T/d.csv" --id-field id --direct y --var v --covariates x
expect_exit 1; expect_err "Fisher scoring took sigma2_u to -0.3"
expect_err "below minus the smallest direct variance \(0.001, area 'a'\)"
expect_err "The covariates are not collinear"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "x2"; next } { print $0, 3 * $4 - 1 }' "$T/d.csv" >"$T/c.csv"
sed -i 's/,2,\([0-9.]*\),/,0.2,\1,/' "$T/c.csv"
sol sae fh --data "$T/c.csv" --id-field id --direct y --var v --covariates x,x2
expect_exit 1
expect_err "collinear covariates: over the areas with a direct estimate, 'x2' is a linear combination"
printf 'id,y,v,x,g\na,1,0.1,1,A\nb,2,0.1,2,A\nc,3,0.2,3,B\nd,2,0.1,1,B\ne,,0.1,1,C\nf,1.5,0.1,2,A\n' >"$T/g.csv"
sol sae fh --data "$T/g.csv" --id-field id --direct y --var v --covariates x,g --factor g
expect_exit 1; expect_err "the term 'gC' is 0 in every area with a direct estimate"
