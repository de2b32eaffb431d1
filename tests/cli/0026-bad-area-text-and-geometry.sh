# import areas: an area name that is not UTF-8, a coordinate that is not finite and a polygon that
# crosses itself are each refused with the feature and what to do; the store stays as it was.
sol init; snapshot
sq='[[[12,41],[12.1,41],[12.1,41.1],[12,41.1],[12,41]]]'
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","name":"Citt\xe0"},"geometry":{"type":"Polygon","coordinates":%s}}]}\n' "$sq" >"$T/latin1.geojson"
sol import areas "$T/latin1.geojson" --code-field code --name-field name
expect_exit 1; expect_err "feature 1 \(code A\): 'name' is not valid UTF-8 \(byte 0xe0 at position 5\); save the file as UTF-8"
expect_unchanged
# a coordinate of 1e400 is infinite: bad input, not "out of memory"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[12,41],[1e400,41],[12.1,41.1],[12,41]]]}}]}\n' >"$T/inf.geojson"
sol import areas "$T/inf.geojson" --code-field code
expect_exit 1; expect_err "feature 1 \(code A\): polygon 1, ring 1, point 2 is not finite"
grep -q "out of memory" "$T/err" && fail "an infinite coordinate reported as out of memory"
expect_unchanged
# a bow tie: the ring crosses itself
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[12,41],[12.1,41.1],[12.1,41],[12,41.1],[12,41]]]}}]}\n' >"$T/bowtie.geojson"
sol import areas "$T/bowtie.geojson" --code-field code
expect_exit 1; expect_err "feature 1 \(code B\): the polygon is not valid"; expect_err "make-valid"
expect_unchanged
# --make-valid repairs it instead
sol import areas "$T/bowtie.geojson" --code-field code --make-valid
expect_exit 0; expect_err "imported 1 area as source"
