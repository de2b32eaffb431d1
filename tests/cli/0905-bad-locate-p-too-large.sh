# locate: p larger than the number of sites, p smaller than the sites that must stay, an
# unknown kept site and a missing --p
printf 'area,weight,lon,lat\nA,10,12.5,41.9\nB,5,12.6,41.8\n' >"$T/d.csv"
printf 'id,lon,lat\ns1,12.5,41.9\ns2,12.6,41.8\n' >"$T/s.csv"
sol locate mclp --demand "$T/d.csv" --sites "$T/s.csv" --max-distance 10 --p 3
expect_exit 1; expect_err 'cannot open 3 sites: there are only 2 candidates'
sol locate pmedian --demand "$T/d.csv" --sites "$T/s.csv" --p 1 --keep s1,s2
expect_exit 1; expect_err 'cannot open 1 sites: 2 existing sites must stay open'
sol locate pmedian --demand "$T/d.csv" --sites "$T/s.csv" --p 1 --keep s9
expect_exit 2; expect_err "--keep names 's9', which is not among the candidate sites"
sol locate mclp --demand "$T/d.csv" --sites "$T/s.csv" --max-distance 10
expect_exit 2; expect_err -- '--p'
sol locate mclp --demand "$T/d.csv" --sites "$T/s.csv" --p 1
expect_exit 2; expect_err -- '--max-distance'
