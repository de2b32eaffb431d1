# Missing or non-numeric values: an error at file:line:column, or left out with a warning
# (--drop-missing); the areas left out are then nobody's neighbour.
grid_geojson "$T/g.geojson" 3
printf 'code,v\n' >"$T/d.csv"
for r in 0 1 2; do for c in 0 1 2; do echo "c$r$c,$((r * 3 + c * c))" >>"$T/d.csv"; done; done
sed 's/^c02,.*/c02,NA/; s/^c20,.*/c20,abc/' "$T/d.csv" >"$T/bad.csv"
sol spatial lisa --geo "$T/g.geojson" --id-field code --data "$T/bad.csv" --var v
expect_exit 1; expect_err "bad.csv:4:5: v of area c02 is \"NA\": missing; every area needs a value"
sed 's/^c02,.*/c02,4/' "$T/bad.csv" >"$T/bad2.csv"
sol spatial lisa --geo "$T/g.geojson" --id-field code --data "$T/bad2.csv" --var v
expect_exit 1; expect_err "bad2.csv:8:5: v of area c20 is \"abc\": not a number"
sol spatial lisa --geo "$T/g.geojson" --id-field code --data "$T/bad.csv" --var v --drop-missing --permutations 0
expect_exit 0
expect_err "warning: area c02 left out: value missing"; expect_err "warning: area c20 left out: value not a number"
expect_lines 8
# weights built without them: c01 (queen) neighbours are c00, c10, c11, c12 only
sol spatial weights --geo "$T/g.geojson" --id-field code --out "$T/all.csv"; expect_exit 0
grep -c '^c01,' "$T/all.csv" | grep -qx 5 || fail "c01 should have 5 neighbours in the full grid"
sol spatial lisa --geo "$T/g.geojson" --id-field code --data "$T/bad.csv" --var v --drop-missing --permutations 0 --json
expect_exit 0; expect_out '"n": 7'
