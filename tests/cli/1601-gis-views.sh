# What GIS clients open: the latest published value of each indicator in each area, withheld
# values NULL (never the small count itself), drafts absent. On PostgreSQL: schema gis with
# PostGIS geometry and one view per level of areas, a column per published indicator, rebuilt
# when a source is published; a role granted schema gis alone reads them through GDAL's
# PostgreSQL driver (as QGIS does) and cannot read a single row of the store's tables.
. "$TOP/tests/cli/sdc_lib.sh"
export SOLIDATA_PUBLISH_AUTO=off
sdc_store
if is_pg; then V=gis.area_value; else V=gis_area_value; fi
# a draft is not there
[ -z "$(store_sql "SELECT area_code FROM $V")" ] || fail "a draft source's values are in the GIS view"
sol publish source counts.csv; expect_exit 0
store_sql "SELECT area_code, period, value, withheld FROM $V WHERE indicator = 'poor' ORDER BY area_code" >"$T/poor"
# k = 10: P1 (4) and P6 (5) withheld, and whatever protects them by difference
grep -q '^P1|2023||\(1\|t\)$' "$T/poor" || fail "P1's small count is not withheld: $(cat "$T/poor")"
grep -q '^P6|2023||\(1\|t\)$' "$T/poor" || fail "P6's small count is not withheld: $(cat "$T/poor")"
grep -q '^P2|2023|30\(\.0\)\{0,1\}|\(0\|f\)$' "$T/poor" || fail "P2's value is not there: $(cat "$T/poor")"
if grep -Eq '\|(4|5)(\.0)?\|' "$T/poor"; then fail "a withheld count is readable: $(cat "$T/poor")"; fi
is_pg || exit 0

# PostgreSQL: one view per level, a column per published indicator, with PostGIS geometry
store_sql "SELECT area_code, poor, rate, ST_GeometryType(geom) FROM gis.areas_area ORDER BY area_code" >"$T/level"
grep -q '^P2|30|0.3|ST_MultiPolygon$' "$T/level" || fail "gis.areas_area: $(cat "$T/level")"
grep -q '^P1||0.05|ST_MultiPolygon$' "$T/level" || fail "P1 in gis.areas_area: $(cat "$T/level")"
# a reader of schema gis only, as a GIS administrator would set it up (docs/postgresql.md)
r=gis_reader_$$
pg_admin "DROP ROLE IF EXISTS $r; CREATE ROLE $r LOGIN PASSWORD 'reader-pw'" >/dev/null
at_exit "pg_admin 'DROP OWNED BY $r; DROP ROLE IF EXISTS $r' >/dev/null 2>&1 || pg_admin 'DROP ROLE IF EXISTS $r' >/dev/null 2>&1"
store_sql "GRANT USAGE ON SCHEMA gis TO $r; GRANT SELECT ON ALL TABLES IN SCHEMA gis TO $r;
           ALTER DEFAULT PRIVILEGES IN SCHEMA gis GRANT SELECT ON TABLES TO $r" >/dev/null
# a new level and indicator published later: the views are rebuilt and the reader still reads them
cat >"$T/more.csv" <<'CSV'
code,year,shelter_places
R1,2024,120
R2,2024,80
CSV
sol import data "$T/more.csv" --area-field code --period-field year; expect_exit 0
sol publish source more.csv; expect_exit 0
hostport=${DB#*@}; hostport=${hostport%%/*}; dbname=${DB##*/}
conn="PG:host=${hostport%:*} port=${hostport#*:} dbname=$dbname user=$r password=reader-pw schemas=gis"
ogrinfo -ro -q "$conn" >"$T/layers" 2>&1 || fail "GDAL cannot open the GIS views: $(cat "$T/layers")"
grep -q 'areas_area (Multi Polygon)' "$T/layers" || fail "no layer areas_area: $(cat "$T/layers")"
grep -q 'area_value (Multi Polygon)' "$T/layers" || fail "no layer area_value: $(cat "$T/layers")"
ogrinfo -ro -q "$conn" -sql "SELECT area_code, poor, shelter_places FROM gis.areas_area WHERE area_code IN ('P1', 'P2', 'R1') ORDER BY area_code" >"$T/feat" 2>&1 ||
    fail "reading the view through GDAL: $(cat "$T/feat")"
grep -q 'poor (Real) = 30' "$T/feat" || fail "P2's value through GDAL: $(cat "$T/feat")"
grep -q 'shelter_places (Real) = 120' "$T/feat" || fail "the new indicator through GDAL: $(cat "$T/feat")"
grep -Eq 'poor \(Real\) = (4|5)$' "$T/feat" && fail "a withheld count through GDAL: $(cat "$T/feat")"
# and not a single row of the store itself
reader="postgresql://$r:reader-pw@$hostport/$dbname"
for t in observation area source audit account; do
    if psql -X -q -A -t -d "$reader" -c "SELECT 1 FROM public.$t LIMIT 1" >"$T/denied" 2>&1; then
        fail "the GIS reader read table $t"
    fi
    grep -q 'permission denied' "$T/denied" || fail "reading $t: $(cat "$T/denied")"
done
