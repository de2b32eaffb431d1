# Invalid polygons: a ring with fewer than 4 points, a ring that is not closed - clear errors
# naming the file, the feature, the polygon and the ring (also when importing areas).
cat >"$T/tri.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[12,41],[12.1,41],[12.1,41.1],[12,41]]]}},
{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[[[12.1,41],[12.2,41],[12.1,41]]]]}}]}
JSON
sol spatial weights --geo "$T/tri.geojson" --id-field code --out "$T/e.csv"
expect_exit 1
expect_err "tri.geojson: feature 2 \(code B\): polygon 1, ring 1 has 3 point\(s\); a closed ring needs at least 4"
sol import areas "$T/tri.geojson" --code-field code; expect_exit 1; expect_err "ring 1 has 3 point"
cat >"$T/open.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[12,41],[12.1,41],[12.1,41.1],[12,41.1]]]}}]}
JSON
printf 'code,v\nA,1\n' >"$T/d.csv"
sol spatial moran --geo "$T/open.geojson" --id-field code --data "$T/d.csv" --var v
expect_exit 1; expect_err "open.geojson: feature 1 \(code A\): polygon 1, ring 1 is not closed"
