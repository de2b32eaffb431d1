# store mode: a microdata path holding a double quote is recorded as it is, in a run spec that
# stays valid JSON (the spec is built with jansson, not printed into a template)
grid_geojson "$T/g.geojson" 2
sol import areas "$T/g.geojson" --code-field code --level cell
expect_exit 0
mkdir -p "$T/a\"b"
M="$T/a\"b/m.csv"
printf 'area,w,inc\nc00,1,100\nc00,1,200\nc00,2,300\nc01,1,150\nc01,1,400\nc01,3,250\n' >"$M"
sol poverty --microdata "$M" --weight w --income inc --by area --store-as POVQ --period 2021
expect_exit 0; expect_err 'stored 2 estimates of POVQ at 2021'
store_sql "select spec from run where kind = 'poverty.direct'" >"$T/spec.json"
jq -e . "$T/spec.json" >/dev/null || fail "the run's spec is not JSON: $(cat "$T/spec.json")"
[ "$(jq -r .microdata "$T/spec.json")" = "$M" ] || fail "the spec does not hold the path: $(cat "$T/spec.json")"
