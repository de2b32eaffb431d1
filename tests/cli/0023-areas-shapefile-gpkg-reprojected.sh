# Shapefile and GeoPackage in a projected CRS (UTM 33N) come back in lon/lat, the CRS recorded.
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:32633 "$T/reg.shp" "$DATA/italy_regions.geojson" 2>/dev/null
ogr2ogr -f GPKG -t_srs EPSG:3035 "$T/reg.gpkg" "$DATA/italy_regions.geojson" 2>/dev/null
sol import areas "$T/reg.shp" --code-field reg_code --name-field reg_name --level region
expect_exit 0; expect_err "imported 20 areas .*ESRI Shapefile, CRS EPSG:32633"
sol areas; expect_out '^12,Lazio,region,,12\.[0-9]+,41\.[0-9]+,EPSG:32633$'
sol import areas "$T/reg.gpkg" --code-field reg_code --level region
expect_exit 0; expect_err "ogr:GPKG, CRS EPSG:3035"
