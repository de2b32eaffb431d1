# Ids missing from the data or from the geometry: a clear error naming them, or, with
# --drop-missing, those areas left out with a warning each. File mode and store mode.
grid_geojson "$T/g.geojson" 3
printf 'code,v\n' >"$T/d.csv"; n=0
for r in 0 1 2; do for c in 0 1 2; do n=$((n + 1)); [ "$r$c" = 11 ] || echo "c$r$c,$((n * n % 7))" >>"$T/d.csv"; done; done
echo "zz9,4" >>"$T/d.csv"   # no such area
sol spatial moran --geo "$T/g.geojson" --id-field code --data "$T/d.csv" --var v
expect_exit 1
expect_err "d.csv: 1 area\(s\) of .*g.geojson have no row in the data: c11; 1 row\(s\) name an area that is not in .*g.geojson: zz9"
expect_err "leave them out with --drop-missing"
sol spatial lisa --geo "$T/g.geojson" --id-field code --data "$T/d.csv" --var v --drop-missing --permutations 0
expect_exit 0
expect_err "warning: area c11 left out: no row in the data"; expect_err "warning: area zz9 left out: not in the geometry"
expect_lines 9   # header + 8 areas
! grep -q '^c11,' "$T/out" || fail "c11 analysed"
# --data-id-field names the data's id column
sed '1s/code/cell/' "$T/d.csv" >"$T/d2.csv"
sol spatial moran --geo "$T/g.geojson" --id-field code --data "$T/d2.csv" --var v
expect_exit 1; expect_err "no column named 'code'"
sol spatial moran --geo "$T/g.geojson" --id-field code --data "$T/d2.csv" --data-id-field cell --var v --drop-missing
expect_exit 0
# store mode: an area of the same level without a value is an error, or left out
sol import areas "$T/g.geojson" --code-field code --level cell; expect_exit 0
grep -v zz9 "$T/d.csv" | awk -F, 'NR==1 {print "code,year,v"; next} {print $1",2020,"$2}' >"$T/s.csv"
sol import data "$T/s.csv" --area-field code --period-field year; expect_exit 0
sol spatial moran --indicator v --period 2020
expect_exit 1; expect_err "1 area\(s\) at level 'cell' have no value of v at 2020: c11"
sol runs; expect_lines 1
sol spatial moran --indicator v --period 2020 --drop-missing
expect_exit 0; expect_err "warning: area c11 left out: no value at this period"; expect_err "recorded as run 1"
sol runs show 1; expect_out '"dropped": \['; expect_out '"id": "c11"'; expect_out '"drop_missing": true'
