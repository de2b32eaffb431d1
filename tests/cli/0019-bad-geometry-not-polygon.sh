sol init; snapshot
cat >"$T/p.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Point","coordinates":[0,0]}}]}
JSON
sol import areas "$T/p.geojson" --code-field code
expect_exit 1; expect_err "p.geojson: feature 2 \(code B\): the geometry is Point; expected Polygon or MultiPolygon"
expect_unchanged
sol import areas "$T/p.geojson" --code-field nosuch
expect_exit 1; expect_err "no field named 'nosuch'; the fields are: code"; expect_unchanged
