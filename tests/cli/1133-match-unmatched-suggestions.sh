# Names that match no area are listed with the closest names of the store, never dropped
. "$TOP/tests/cli/match_lib.sh"
with_idf; snapshot
sol import data "$W/match_inconnues.csv" --area-field commune --period 2023
expect_exit 1
expect_err "2 values of column 'commune' are not areas of the store"
expect_err "'Montreuill' \(line 2\): Montreuil \(93048, Seine-Saint-Denis\)"
expect_err "'Xyzzy' \(line 5\)"
expect_unchanged
# with --skip-unknown-areas, the rows are counted and said
sol import data "$W/match_inconnues.csv" --area-field commune --period 2023 --skip-unknown-areas
expect_exit 0; expect_err "2 observations written"; expect_err "skipped 2 rows for areas not in the store"
