# locate: the budget model on GeoJSON sites with costs, an existing site kept, and the sentences
# in French and Italian
printf 'area,weight,lon,lat,name\nA,1234,12.50,41.90,Sora\nB,500,12.60,41.80,Arpino\nC,800,13.50,41.50,Cassino\n' >"$T/d.csv"
cat >"$T/s.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"lib","name":"Biblioteca di Sora","cost":3},"geometry":{"type":"Point","coordinates":[12.5,41.9]}},
{"type":"Feature","properties":{"id":"par","name":"Parrocchia di Arpino","cost":2},"geometry":{"type":"Point","coordinates":[12.7,41.75]}},
{"type":"Feature","properties":{"id":"cas","name":"Biblioteca di Cassino","cost":4},"geometry":{"type":"Point","coordinates":[13.5,41.5]}}]}
J
sol locate budget --demand "$T/d.csv" --sites "$T/s.geojson" --max-distance 20 --budget 7 --keep par --json
expect_exit 0
jq -e '[.sites[].id] | sort == ["lib","par"]' "$T/out" >/dev/null || fail "chosen: $(jq -c '[.sites[].id]' "$T/out")"
jq -e '.demand.covered == 1734 and ([.sites[] | select(.id == "par")][0].kept)' "$T/out" >/dev/null || fail "covered"
sol locate mclp --demand "$T/d.csv" --sites "$T/s.geojson" --max-distance 20 --p 1 --lang it \
    --need-label "persone di 75 anni e più"
expect_exit 0
expect_err 'Biblioteca di Sora serve 1\.734 persone di 75 anni e più in 2 territori entro 20 km'
sol locate mclp --demand "$T/d.csv" --sites "$T/s.geojson" --max-distance 20 --p 1 --lang fr \
    --need-label "personnes de 75 ans ou plus"
expect_exit 0
expect_err 'Biblioteca di Sora dessert 1.734 personnes de 75 ans ou plus dans 2 territoires à moins de 20 km'
sol locate mclp --demand "$T/d.csv" --sites "$T/s.geojson" --max-distance 20 --p 1
expect_exit 0
expect_err 'Biblioteca di Sora serves 1,734 people in 2 areas within 20 km'
# the same sites from a GeoPackage (GDAL/OGR), with capacities for the capacitated p-median
ogr2ogr -f GPKG "$T/s.gpkg" "$T/s.geojson"
sol locate budget --demand "$T/d.csv" --sites "$T/s.gpkg" --max-distance 20 --budget 7 --keep par --json
expect_exit 0
jq -e '[.sites[].id] | sort == ["lib","par"]' "$T/out" >/dev/null || fail "chosen from the GeoPackage"
