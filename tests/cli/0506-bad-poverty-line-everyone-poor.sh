# a fixed line above every income would put everyone in poverty: refused, said plainly
printf 'w,inc\n1,100\n1,200\n' >"$T/m.csv"
sol poverty --microdata "$T/m.csv" --weight w --income inc --line 1000
expect_exit 1; expect_err 'everyone would be poor'
sol poverty --microdata "$T/m.csv" --weight w --income inc --line-share 1.5
expect_exit 2
