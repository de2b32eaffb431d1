# locate: a distance matrix that misses a pair, or holds a negative value, is refused
printf 'area,weight,lon,lat\nA,10,12.5,41.9\nB,5,12.6,41.8\n' >"$T/d.csv"
printf 'id,lon,lat\ns1,12.5,41.9\ns2,12.6,41.8\n' >"$T/s.csv"
printf 'from,to,value\nA,s1,0\nA,s2,7\nB,s1,7\n' >"$T/m.csv"
sol locate pmedian --demand "$T/d.csv" --sites "$T/s.csv" --distance-matrix "$T/m.csv" --p 1
expect_exit 1; expect_err "misses 1 pairs of area and site, e.g. from 'B' to 's2'"
printf 'from,to,value\nA,s1,0\nA,s2,7\nB,s1,-7\nB,s2,0\n' >"$T/m.csv"
sol locate pmedian --demand "$T/d.csv" --sites "$T/s.csv" --distance-matrix "$T/m.csv" --p 1
expect_exit 1; expect_err "m\.csv:4: from 'B' to 's1': a distance must be a number >= 0"
printf 'from,to,value\nA,s1,0\nA,s2,7\nB,s1,7\nB,s2,0\n' >"$T/m.csv"
sol locate pmedian --demand "$T/d.csv" --sites "$T/s.csv" --distance-matrix "$T/m.csv" --p 1
expect_exit 0; expect_out '^s1,'
