# locate: the San Francisco instance of spopt's tests (205 tracts, 16 stores, network distances):
# MCLP within 5000 m with 4 stores leaves 21 tracts uncovered (89.756% of them covered), the
# p-median with 4 stores has a mean distance of 2982.1268579890657 m, LSCP within 5000 m is
# feasible and within 20 m is not (tests/data/locate_spopt_sf/README.md)
S=$TOP/tests/data/locate_spopt_sf
sol locate mclp --demand "$S/demand.csv" --sites "$S/sites.csv" --distance-matrix "$S/matrix.csv" \
    --max-distance 5000 --p 4 --distance-unit m --json
expect_exit 0
[ "$(jq '.uncovered | length' "$T/out")" = 21 ] || fail "uncovered tracts: $(jq '.uncovered | length' "$T/out")"
[ "$(jq '.demand.areas' "$T/out")" = 205 ] || fail "areas"
jq -e '.status == "optimal" and .chosen == 4 and .gap == 0' "$T/out" >/dev/null || fail "status"
jq -e '(1 - (.uncovered | length) / .demand.areas) * 100 - 89.75609756097561 | fabs < 1e-9' \
    "$T/out" >/dev/null || fail "percentage covered"
expect_err 'Solved to optimality'; expect_err '21 areas are not served'
sol locate pmedian --demand "$S/demand.csv" --sites "$S/sites.csv" --distance-matrix "$S/matrix.csv" \
    --p 4 --json
expect_exit 0
jq -e '(.mean_distance - 2982.1268579890657 | fabs) / 2982.1268579890657 < 1e-12' "$T/out" \
    >/dev/null || fail "mean distance $(jq .mean_distance "$T/out")"
sol locate lscp --demand "$S/demand.csv" --sites "$S/sites.csv" --distance-matrix "$S/matrix.csv" \
    --max-distance 5000
expect_exit 0; expect_out '^id,name,lon,lat,kept,capacity,cost,demand_served,areas_served$'
sol locate lscp --demand "$S/demand.csv" --sites "$S/sites.csv" --distance-matrix "$S/matrix.csv" \
    --max-distance 20
expect_exit 1; expect_err 'no site can reach 205 demand areas within the distance: 060816029.00'
