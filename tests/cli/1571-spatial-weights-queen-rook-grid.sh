# Queen and rook contiguity on tests/data/spatial_grid (a 3 x 3 grid, a square touching the grid
# at one corner only, a rectangle along two cells' edges, an island) against R spdep's poly2nb:
# the same neighbour lists, the corner-only neighbours in queen and not in rook.
R=$TOP/tests/data/spatial_grid
for k in queen rook; do
    sol spatial weights --geo "$R/grid.geojson" --id-field id --weights $k --islands keep \
        --out "$T/$k.csv"
    expect_exit 0
    # s is an island in both; c44, touching g33 at a corner only, in rook
    if [ $k = queen ]; then expect_err "1 area without neighbours kept"; else expect_err "2 areas without neighbours kept"; fi
    awk -F, 'NR > 1 && $2 != "" { print $1 "," $2 }' "$T/$k.csv" | sort >"$T/got.$k"
    tail -n +2 "$R/expected_nb_$k.csv" | sort >"$T/want.$k"
    diff "$T/got.$k" "$T/want.$k" >"$T/diff.$k" || { cat "$T/diff.$k"; fail "$k differs from spdep poly2nb"; }
done
# the corner-only pairs: diagonal cells and c44 (touching g33 at (3, 3))
for p in g11,g22 g22,g33 g33,c44 g13,g22 g33,t; do
    grep -qx "$p" "$T/got.queen" || fail "queen lacks $p"
    ! grep -qx "$p" "$T/got.rook" || fail "rook has the corner-only pair $p"
done
grep -qx "g31,t" "$T/got.rook" && grep -qx "g32,t" "$T/got.rook" || fail "rook lacks the edges of t"
# the islands are in the file without neighbours
grep -q '^s,,' "$T/queen.csv" && grep -q '^s,,' "$T/rook.csv" && grep -q '^c44,,' "$T/rook.csv" ||
    fail "the islands are not listed"
# without --islands keep, the islands are an error naming them
sol spatial weights --geo "$R/grid.geojson" --id-field id --weights rook --out "$T/e.csv"
expect_exit 1; expect_err "2 area\(s\) without neighbours: c44, s"
