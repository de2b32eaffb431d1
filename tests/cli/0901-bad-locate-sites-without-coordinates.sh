# locate: a site without coordinates is an error naming it, in a CSV file and in a GeoJSON file
printf 'area,weight,lon,lat\nA,10,12.5,41.9\nB,5,12.6,41.8\n' >"$T/d.csv"
printf 'id,name,lon,lat\ns1,Library,12.5,41.9\ns2,Parish hall,,\n' >"$T/s.csv"
sol locate mclp --demand "$T/d.csv" --sites "$T/s.csv" --max-distance 10 --p 1
expect_exit 1; expect_err "s\.csv:3: site 's2' has no coordinates"
cat >"$T/s.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"s1","name":"Library"},"geometry":{"type":"Point","coordinates":[12.5,41.9]}},
{"type":"Feature","properties":{"id":"s2","name":"Parish hall"},"geometry":null}]}
J
sol locate mclp --demand "$T/d.csv" --sites "$T/s.geojson" --max-distance 10 --p 1
expect_exit 1; expect_err "site 's2' \(feature 2\) has no coordinates"
printf 'area,weight,lon,lat\nA,10,,\n' >"$T/d2.csv"
sol locate mclp --demand "$T/d2.csv" --sites "$T/s.csv" --max-distance 10 --p 1
expect_exit 1; expect_err "area 'A' has no coordinates"
