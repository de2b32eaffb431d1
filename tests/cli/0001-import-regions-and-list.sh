# Regions, BES long data with metadata: counts, catalog, listings, export round trip.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat"
expect_exit 0
expect_err "9073 rows read, 9073 observations written, 64 indicators \(64 new\), 10 periods"
sol init; expect_exit 0
expect_out "20 areas, 64 indicators, 10 periods, 9073 observations, 2 sources"
sol catalog; expect_exit 0; expect_lines 3
expect_out "bes_regions_long.csv,1,current,csv-long,.*,CC BY 3.0,Fonte: Istat,0164c1b95a0844f29b7e6cd080d250b59fdfdd5edc9886dd65e9b6993153ccb8,307973,9073,9073,"
sol indicators; expect_out '^04BEC006P,Pensionati con reddito pensionistico di basso importo,%,lower_better,Benessere economico,180,2015,2023,,,$'
sol areas --json; expect_out '"code": "20"'
sol export data --out "$T/x.csv"; expect_exit 0
[ "$(wc -l <"$T/x.csv")" = 9074 ] || fail "export has $(wc -l <"$T/x.csv") lines"
grep -q '^01,2015,01SAL001,82.099999999999994,,$' "$T/x.csv" || fail "value not exported exactly"
# every value of the source file comes back (compare sorted area,year,indicator,value)
tail -n +2 "$DATA/bes_regions_long.csv" | awk -F, '{print $1","$4","$3","$5+0}' | sort >"$T/a"
tail -n +2 "$T/x.csv" | awk -F, '{print $1","$2","$3","$4+0}' | sort >"$T/b"
cmp -s "$T/a" "$T/b" || fail "exported values differ from the source file"
sol export areas --out "$T/a.geojson"; expect_exit 0
[ "$(grep -o '"type":"Feature"' "$T/a.geojson" | wc -l)" = 20 ] || fail "GeoJSON export lacks features"
# the export reads back as areas
sol import areas "$T/a.geojson" --code-field code --source again; expect_exit 0; expect_err "imported 20 areas"
