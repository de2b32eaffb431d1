# a stratum with a single PSU: adjusted with a note by default, refused with --lonely-psu fail
printf 's,p,w,inc\na,1,1,100\na,2,1,200\na,3,1,50\nb,4,1,300\n' >"$T/m.csv"
sol poverty --microdata "$T/m.csv" --weight w --income inc --strata s --psu p
expect_exit 0; expect_err '1 strata have a single PSU; each is centred at the grand mean'
sol poverty --microdata "$T/m.csv" --weight w --income inc --strata s --psu p --lonely-psu fail
expect_exit 1; expect_err "stratum 'b' has a single PSU"
