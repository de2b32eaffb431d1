# A store of the previous schema (7: indicators without labels in each language) is upgraded in
# place when opened, its data intact, and takes labels in each language afterwards; a newer
# schema is still refused.
with_regions
printf 'code,label,unit\npov,Poverty,%%\n' >"$T/m.csv"
printf 'code,pov\n01,10.5\n12,12\n' >"$T/d.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/m.csv"
expect_exit 0
# make it a schema-7 store: the columns of schemas 8 and 9 dropped, the version set back
drop_after_9
drop_gis
store_sql "ALTER TABLE source DROP COLUMN published; ALTER TABLE source DROP COLUMN own_records;
    ALTER TABLE run DROP COLUMN published; DROP TABLE setting;
    ALTER TABLE indicator DROP COLUMN label_en; ALTER TABLE indicator DROP COLUMN label_fr;
    ALTER TABLE indicator DROP COLUMN label_it; ALTER TABLE indicator DROP COLUMN unit_en;
    ALTER TABLE indicator DROP COLUMN unit_fr; ALTER TABLE indicator DROP COLUMN unit_it;"
[ "$(store_version 7)" = 7 ] || fail "not a schema-7 store"
sol init; expect_exit 0
expect_out "schema version 14"
expect_out "20 areas, 1 indicators, 1 periods, 2 observations"
[ "$(store_sql 'SELECT label FROM indicator WHERE code = '"'"'pov'"'"'')" = Poverty ] || fail "label lost"
sol indicators --json
jq -e '.[0].labels == {"en": "Poverty", "fr": "Poverty", "it": "Poverty"} and .[0].label_origin.fr == "default"' "$T/out" >/dev/null || fail "labels of a migrated store"
printf 'code,label_fr,label_it\npov,Pauvreté,Povertà\n' >"$T/m2.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/m2.csv"
expect_exit 0
sol indicators --json
jq -e '.[0].labels == {"en": "Poverty", "fr": "Pauvreté", "it": "Povertà"}' "$T/out" >/dev/null || fail "labels after the upgrade"
store_version 99 >/dev/null
sol areas; expect_exit 1; expect_err "store schema version 99 is newer than this solidata"
