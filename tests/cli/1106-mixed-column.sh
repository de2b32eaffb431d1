# A column of numbers with one cell that is not a number is reported with its line, column and
# value, never silently left out (before: the whole column dropped with a success exit code).
with_regions; snapshot
printf 'code;nom;familles;repas\n01;Piemonte;12;1 200\n02;Valle;n.d.;300\n03;Lombardia;40;2 500\n' >"$T/m.csv"
sol import data "$T/m.csv" --area-field code --period 2021
expect_exit 1
expect_err "m.csv:3:10: column 'familles' holds numbers, but this cell holds 'n.d.': write a number, leave the cell empty for a missing value, or leave the column out with --indicators"
expect_unchanged
sol import data "$T/m.csv" --area-field code --period 2021 --indicators repas
expect_exit 0; expect_err "3 observations written"
# long: the value column
printf 'code,year,indicator,value\n01,2020,x,"1 000"\n02,2020,x,tbd\n' >"$T/l.csv"
sol import data "$T/l.csv" --area-field code --period-field year --format long --source l
expect_exit 1; expect_err "l.csv:3:11: expected a number in column 'value', found 'tbd'"
