# An XLSX workbook as an association keeps it: two sheets, title lines above the header (row 4),
# years as columns ("2019 (p)" provisional), thousands separators typed as text, formulas (their
# computed values are read, and said), a blank row and a total row (skipped, said, never an area).
WS=$TOP/tests/data/workspace
sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom
expect_exit 0; snapshot
# several sheets and no choice: an error that lists them
sol import data "$WS/personnes_93.xlsx" --area-field "Code commune"
expect_exit 1
expect_err "personnes_93.xlsx: this workbook has 2 sheets: 'Personnes', 'Notes'; say which to read with --sheet NAME or --sheet NUMBER"
expect_unchanged
sol import data "$WS/personnes_93.xlsx" --area-field "Code commune" --sheet Absent
expect_exit 1; expect_err "no sheet 'Absent' in this workbook; its sheets are: 'Personnes', 'Notes'"
sol import data "$WS/personnes_93.xlsx" --area-field "Code commune" --sheet 1 --indicator personnes
expect_exit 0
expect_err "read sheet 'Personnes' of the workbook \(xlsx\)"
expect_err "header on line 4; the lines above it were left out"
expect_err "1 blank row skipped"
expect_err "1 total row skipped \(line 18: 'Total'\)"
expect_err "4 cells hold formulas: their values as last computed were read"
expect_err "layout: years as columns"
expect_err "years as columns: 3 year columns read as periods of one indicator, 'personnes'"
expect_err "36 observations written, 1 indicators \(1 new\), 3 periods"
sol export data
expect_out '^93001,2015,personnes,81417,,$'
expect_out '^93001,2019,personnes,79080,,provisional$'
# the formula's cached value (row 8, 2016)
expect_out '^93010,2016,personnes,52975,,$'
if grep -qi total "$T/out"; then fail "a total row was imported as an area"; fi
# the same sheet chosen by name
sol import data "$WS/personnes_93.xlsx" --area-field "Code commune" --sheet Personnes \
    --indicator personnes --source by-name
expect_exit 1; expect_err "already has a value from another source"
