sol init; snapshot
printf '{"type": "FeatureCollection", "features": [ {"type": ' >"$T/b.geojson"
sol import areas "$T/b.geojson" --code-field code
expect_exit 1; expect_err "b.geojson: not a vector file GDAL can read"; expect_unchanged
