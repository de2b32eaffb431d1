# Excel's French CSV: Windows-1252 (accents, a typographic apostrophe, the euro sign), detected,
# converted and said; --encoding forces an encoding; error columns stay those of the file.
WS=$TOP/tests/data/workspace
sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom
expect_exit 0
sol import data "$WS/communes_cp1252.csv" --area-field Code --period 2019
expect_exit 0
expect_err "communes_cp1252.csv: the text is in Windows-1252 \(detected\), converted to UTF-8"
expect_err "non-numeric columns left out: Libellé de la commune"
sol export data
expect_out '^93039,2019,Médiane du niveau de vie \(€\),16610,,$'
expect_out '^93039,2019,Taux de pauvreté,33,,$'
# ISO-8859-15: the euro sign at 0xA4
printf 'code;nom;d\xe9pense (\xa4)\n93008;Bobigny;12,5 \xa4\n' >"$T/l9.csv"
sol import data "$T/l9.csv" --area-field code --period 2020 --indicators "dépense (€)"
expect_exit 1; expect_err "the text|expected a number"
printf 'code;nom;d\xe9pense\n93008;Bobigny;12,5\n93010;Bondy;7,25\n' >"$T/l1.csv"
sol import data "$T/l1.csv" --area-field code --period 2020 --encoding iso-8859-1
expect_exit 0
if grep -q "detected" "$T/err"; then fail "a given encoding is not detected"; fi
sol export data; expect_out '^93008,2020,dépense,12.5,,$'
# a byte that is not a character of the encoding given: its line and column in the file
printf 'code;nom;v\n93008;Bobi\x81gny;1\n' >"$T/bad.csv"
sol import data "$T/bad.csv" --area-field code --period 2020 --encoding windows-1252
expect_exit 1; expect_err "bad.csv:2:11: byte 0x81 is not a character in Windows-1252"
# an error after accents: the column counts characters, as the file has them
printf 'code;nom;v\n93008;\xc9pinay \xe9t\xe9;x1\n93010;Bondy;2\n' >"$T/col.csv"
sol import data "$T/col.csv" --area-field code --period 2020 --indicators v
expect_exit 1; expect_err "col.csv:2:18: expected a number in column 'v', found 'x1'"
