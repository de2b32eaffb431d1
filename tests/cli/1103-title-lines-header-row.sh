# A CSV with a title, a blank line and a source line above its header: the header is found on
# line 4 and said; --header-row says it when the guess is wrong; errors keep the file's lines.
WS=$TOP/tests/data/workspace
sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom
expect_exit 0
sol import data "$WS/familles_titres.csv" --area-field Commune --period 2019
expect_exit 0
expect_err "familles_titres.csv: header on line 4; the lines above it were left out"
sol export data; expect_out '^93001,2019,Ménages,29263,,$'
sol import data "$WS/familles_titres.csv" --area-field Commune --period 2019 --header-row 3 --source h3
expect_exit 1; expect_err "familles_titres.csv:4: expected 1 fields \(as in the header\), found 4"
sol import data "$WS/familles_titres.csv" --area-field Commune --period 2019 --header-row 2 --source h2
expect_exit 1; expect_err "familles_titres.csv:2: --header-row 2: this line has no column names"
printf 'Titre\n\ncode;v\n93008;x\n93010;2\n93014;3\n' >"$T/t.csv"
sol import data "$T/t.csv" --area-field code --period 2019 --indicators v
expect_exit 1; expect_err "t.csv:4:7: expected a number in column 'v', found 'x'"
