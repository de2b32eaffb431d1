# income that is not a number: file:line:column and the text found
printf 'area,w,inc\nA,1,100\nB,1,12k\n' >"$T/m.csv"
sol poverty --microdata "$T/m.csv" --weight w --income inc --by area
expect_exit 1; expect_err "m.csv:3:5: income in column 'inc' is not a number: '12k'"
# and a column that is not there lists the header
sol poverty --microdata "$T/m.csv" --weight w --income income
expect_exit 1; expect_err "no column 'income' \(income\); the header has: area,w,inc"
