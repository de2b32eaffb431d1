# a missing area code is refused with file:line:column
printf 'area,w,inc\nA,1,100\n,1,200\n' >"$T/m.csv"
sol poverty --microdata "$T/m.csv" --weight w --income inc --by area
expect_exit 1; expect_err 'm.csv:3:1: missing domain code in column .area.'
