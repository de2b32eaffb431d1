# The language of the locale: LANG=fr_FR.UTF-8 (no LC_ALL) explains a bad CSV in French on
# stderr, with the library's message and the command's summary; LANG=it_IT.UTF-8 in Italian.
with_regions; snapshot
printf 'code,v\n01,1\n12,abc\n' >"$T/b.csv"
unset LC_ALL
export LANG=fr_FR.UTF-8
sol import data "$T/b.csv" --area-field code --period 2020 --indicators v
expect_exit 1; expect_err "b.csv:3:4: nombre attendu dans la colonne 'v', trouvé 'abc'"; expect_unchanged
grep -q "expected a number" "$T/err" && fail "English left"
export LANG=it_IT.UTF-8
sol import data "$T/b.csv" --area-field code --period 2020 --indicators v
expect_exit 1; expect_err "b.csv:3:4: atteso un numero nella colonna 'v', trovato 'abc'"; expect_unchanged
# a good file: the summary in French, its numbers as the data has them
export LANG=fr_FR.UTF-8
printf 'code,v\n01,1\n12,2.5\n' >"$T/g.csv"
sol import data "$T/g.csv" --area-field code --period 2020 --indicators v
expect_exit 0
expect_err "g.csv : importé comme source 'g.csv' version 1 \(csv-wide\) : lignes lues 2, observations écrites 2, indicateurs 1 \(nouveaux 1\), périodes 1"
sol import data "$T/g.csv" --area-field code --period 2020 --indicators v
expect_exit 0; expect_err "inchangé depuis son import comme source 'g.csv' version 1 ; rien à faire"
# a usage error of the command: the pointer to its help in French too
sol import data "$T/g.csv" --area-field
expect_exit 2; expect_err "^solidata import data: --area-field attend une valeur \(F\) ; voir 'solidata import data --help'$"
