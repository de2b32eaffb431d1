# Band distances need coordinates that can be placed on the Earth. Projected coordinates in a file
# that declares no CRS (taken as lon/lat by GeoJSON's rule) are refused with a hint; --crs fixes
# them; a local engineering CRS (no datum) cannot be turned into km: a clear error.
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[\n";
    for (c = 0; c < 4; c++) { x = 290000 + 10000 * c; y = 4640000; X = x + 10000; Y = y + 10000;
        printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"u%d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}\n",
            (c ? "," : ""), c, x, y, X, y, X, Y, x, Y, x, y }
    print "]}" }' >"$T/utm.geojson"
sol spatial weights --geo "$T/utm.geojson" --id-field code --weights band:15 --out "$T/e.csv"
expect_exit 1
expect_err "utm.geojson: feature 1 \(code u0\): polygon 1, ring 1, point 1 \(290000, 4640000\) is outside lon/lat range"
expect_err "give --crs EPSG:NNNN"
# with its CRS (UTM 33N, metres) the 10 km cells are 10 km apart: a chain of 4
sol spatial weights --geo "$T/utm.geojson" --id-field code --crs EPSG:32633 --weights band:10.5 --out "$T/e.csv"
expect_exit 0; expect_err "4 areas, 6 links, 0 island"
sol spatial weights --geo "$T/utm.geojson" --id-field code --crs EPSG:32633 --weights band:9.5 --islands keep --out "$T/e.csv"
expect_exit 0; expect_err "4 areas, 0 links, 4 island"
cat >"$T/local.geojson" <<'JSON'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"LOCAL_CS[\"site grid\"]"}},"features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]}}]}
JSON
sol spatial weights --geo "$T/local.geojson" --id-field code --weights band:5 --out "$T/e.csv"
expect_exit 1; expect_err "local.geojson: cannot transform from LOCAL_CS\[\"site grid\""
