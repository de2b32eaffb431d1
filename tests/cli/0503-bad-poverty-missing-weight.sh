# a missing weight is refused with file:line:column
printf 'area,w,inc\nA,1,100\nB,,200\n' >"$T/m.csv"
sol poverty --microdata "$T/m.csv" --weight w --income inc
expect_exit 1; expect_err 'm.csv:3:3: missing weight in column .w.'
