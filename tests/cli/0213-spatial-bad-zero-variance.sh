# All values equal: zero variance makes Moran's I, local Moran and Gi* undefined - a clear error.
grid_geojson "$T/g.geojson" 3
printf 'code,v\n' >"$T/d.csv"
for r in 0 1 2; do for c in 0 1 2; do echo "c$r$c,12.5" >>"$T/d.csv"; done; done
for a in moran lisa gistar; do
    sol spatial $a --geo "$T/g.geojson" --id-field code --data "$T/d.csv" --var v
    expect_exit 1; expect_err "all 9 values of v are equal \(12.5\): zero variance"
    [ ! -s "$T/out" ] || fail "$a printed a result"
done
sol import areas "$T/g.geojson" --code-field code --level cell; expect_exit 0
awk -F, 'NR==1 {print "code,year,v"; next} {print $1",2020,"$2}' "$T/d.csv" >"$T/s.csv"
sol import data "$T/s.csv" --area-field code --period-field year; expect_exit 0
sol spatial lisa --indicator v; expect_exit 1; expect_err "zero variance, so local Moran is undefined"
sol runs; expect_lines 1
