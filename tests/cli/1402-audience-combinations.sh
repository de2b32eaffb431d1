# k holds for combinations: a new audience is refused when, with an audience already defined, it
# would reveal a cell below k: in an area both select, the difference of their counts (people in
# one and not in the other), or the difference of their totals. The store is unchanged after each
# refusal; an audience differing by none or by at least k passes.
grid_geojson "$T/grid.geojson" 2
sol import areas "$T/grid.geojson" --code-field code --level district
expect_exit 0
printf 'code,year,pop,pop_b,pop_c,pop_d,share\nc00,2023,500,460,350,500,0.5\nc01,2023,300,300,300,300,0.5\nc10,2023,400,400,400,240,0.5\nc11,2023,20,20,20,20,0.5\n' >"$T/d.csv"
sol import data "$T/d.csv" --area-field code --period-field year
expect_exit 0
sol audience define a --rule 'level district; pop > 100; people pop'
expect_exit 0
snapshot
# c00: 500 against 460, a cell of 40 people in one and not in the other
sol audience define b --rule 'level district; pop > 100; people pop_b'
expect_exit 1; expect_err "with audience 'a' it would reveal a cell below k = 100: in c00 the two audiences count 40 people apart"
expect_unchanged
# c00 differs by 150, c10 by 0: accepted
sol audience define c --rule 'level district; pop > 100; people pop_c'
expect_exit 0
snapshot
# totals 1200 (a) and 1040 (c): a fourth audience whose total is 1110 against c
printf 'code,year,pop_e\nc00,2023,500\nc01,2023,210\nc10,2023,400\n' >"$T/e.csv"
sol import data "$T/e.csv" --area-field code --period-field year
expect_exit 0
snapshot
sol audience define e --rule 'level district; pop > 100; people pop_e'
expect_exit 1; expect_err "with audience '(a|c)' it would reveal a cell below k = 100"
expect_unchanged
# a count times a share: 50% of a's people, 250 / 150 / 200, apart from a by 250 / 150 / 200
sol audience define f --rule 'level district; pop > 100; people pop * share share'
expect_exit 0
sol audience list
expect_exit 0; expect_lines 4
