# Duplicate ids: twice in the data (file:line of both rows) or twice in the geometry.
grid_geojson "$T/g.geojson" 3
printf 'code,v\n' >"$T/d.csv"
for r in 0 1 2; do for c in 0 1 2; do echo "c$r$c,$r$c" >>"$T/d.csv"; done; done
echo "c12,5" >>"$T/d.csv"
sol spatial moran --geo "$T/g.geojson" --id-field code --data "$T/d.csv" --var v
expect_exit 1; expect_err "d.csv:11: area c12 has a second row \(the first is line 7\)"
# --drop-missing does not hide a duplicate
sol spatial moran --geo "$T/g.geojson" --id-field code --data "$T/d.csv" --var v --drop-missing
expect_exit 1; expect_err "has a second row"
head -n 10 "$T/d.csv" >"$T/ok.csv"
sed 's/"code":"c22"/"code":"c21"/' "$T/g.geojson" >"$T/dup.geojson"
sol spatial moran --geo "$T/dup.geojson" --id-field code --data "$T/ok.csv" --var v
expect_exit 1; expect_err "dup.geojson: feature 9: area code 'c21' appears twice; codes must be unique"
sol spatial weights --geo "$T/dup.geojson" --id-field code --out "$T/e.csv"
expect_exit 1; expect_err "appears twice"
