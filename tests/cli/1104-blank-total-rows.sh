# Blank rows are skipped and counted; total and subtotal rows ("Sous-total", "TOTAL GÉNÉRAL",
# "Totale", "Insieme"...: case and accents aside) are skipped with their line, never an area; a
# blank area cell in a row with values (a merged cell) is an error, not a row dropped.
WS=$TOP/tests/data/workspace
sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom
expect_exit 0; snapshot
sol import data "$WS/familles_titres.csv" --area-field Commune --period 2019
expect_exit 0
expect_err "1 blank row skipped"
expect_err "2 total rows skipped \(the first on line 9: 'Sous-total'\)"
expect_err "8 rows read, 16 observations written"
printf 'code,v\n93008,1\n,\n93010,2\ninsieme,3\nTotale provincia,4\n\n' >"$T/t.csv"
sol import data "$T/t.csv" --area-field code --period 2019 --source t
expect_exit 0; expect_err "2 total rows skipped \(the first on line 5: 'insieme'\)"
expect_err "2 blank rows skipped"
# a total row labelled in another column, its area cell empty
printf 'code;nom;v\n93008;Bobigny;1\n;Ensemble;1\n' >"$T/e.csv"
sol import data "$T/e.csv" --area-field code --period 2018
expect_exit 0; expect_err "1 total row skipped \(line 3: 'Ensemble'\)"
# merged cells: the commune written once for two rows
sol import data "$WS/fusion.xlsx" --area-field code --period-field annee
expect_exit 1
expect_err "fusion.xlsx:3:1: the area cell \(column 'code'\) is empty but the row has values: a merged cell\?"
