# locate: capacities that cannot hold the demand assigned are said before solving
printf 'area,weight,lon,lat\nA,10,12.5,41.9\nB,5,12.6,41.8\nC,8,12.7,41.7\n' >"$T/d.csv"
printf 'id,lon,lat,capacity\ns1,12.5,41.9,6\ns2,12.6,41.8,9\ns3,12.7,41.7,10\n' >"$T/s.csv"
sol locate cpmedian --demand "$T/d.csv" --sites "$T/s.csv" --p 2
expect_exit 1
expect_err 'capacity below the demand: the largest capacities of 2 sites sum to 19, the demand to serve is 23'
sol locate cpmedian --demand "$T/d.csv" --sites "$T/s.csv" --p 3 --json
expect_exit 0
jq -e '[.sites[] | .demand_served <= .capacity + 1e-9] | all' "$T/out" >/dev/null || fail "capacity"
printf 'id,lon,lat\ns1,12.5,41.9\n' >"$T/s2.csv"
sol locate cpmedian --demand "$T/d.csv" --sites "$T/s2.csv" --p 1
expect_exit 2; expect_err "has no capacity for site 's1'"
