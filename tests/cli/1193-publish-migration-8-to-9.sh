# A store of schema 8 (before drafts) is upgraded in place to 9: its sources and runs stay public
# (an anonymous visitor sees what she saw), and what is added afterwards is a draft.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0"
expect_exit 0
sol trend --indicator 04BEC006P; expect_exit 0
# make it a schema-8 store: the columns and table of schema 9 dropped, the version set back
drop_after_9
drop_gis
store_sql "ALTER TABLE source DROP COLUMN published; ALTER TABLE source DROP COLUMN own_records;
    ALTER TABLE run DROP COLUMN published; DROP TABLE setting;"
store_version 8 >/dev/null
unset SOLIDATA_PUBLISH_AUTO
sol init; expect_exit 0; expect_out "schema version 14"
[ "$(store_sql 'SELECT published FROM source UNION ALL SELECT published FROM run' | paste -sd, -)" = "1,1,1" ] ||
    fail "an upgraded store's sources and runs are not all public"
sol publish drafts; expect_exit 0; expect_lines 1
serve
get "/api/observations?indicator=04BEC006P&period=2023"; expect_code 200; expect_out '"area":"01","period":"2023"'
get /api/catalog; expect_code 200; expect_out 'bes_regions_long.csv'
get /api/runs; expect_code 200; expect_out 'time.trend'
stop_server
printf 'code,helped\n01,120\n' >"$T/helped.csv"
sol import data "$T/helped.csv" --area-field code --period 2024 --source helped; expect_exit 0
sol trend --indicator 04BEC006P; expect_exit 0
sol publish drafts; expect_exit 0; expect_lines 3; expect_out '^source,[0-9]+,helped,'; expect_out '^run,[0-9]+,time.trend,'
