# locate: a covering no site can complete is said, with the areas no site can reach named
printf 'area,weight,lon,lat,name\nA,10,12.5,41.9,Sora\nB,5,13.6,41.8,Isola del Liri\nC,4,12.5,41.91,Arpino\n' >"$T/d.csv"
printf 'id,lon,lat\ns1,12.5,41.9\n' >"$T/s.csv"
sol locate lscp --demand "$T/d.csv" --sites "$T/s.csv" --max-distance 10
expect_exit 1; expect_err 'no site can reach 1 demand area within the distance: Isola del Liri'
# the maximal covering leaves it uncovered and names it
sol locate mclp --demand "$T/d.csv" --sites "$T/s.csv" --max-distance 10 --p 1 --json
expect_exit 0
jq -e '.uncovered == [{"code":"B","name":"Isola del Liri","demand":5.0}]' "$T/out" >/dev/null ||
    fail "uncovered"
expect_err '1 area is not served: Isola del Liri \(5\)'
