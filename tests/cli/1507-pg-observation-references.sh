# PostgreSQL (schema 13): an observation's references are checked by triggers, which the bulk
# import skips: any other write that names a missing area, indicator, period or source is
# refused, a referenced row can be neither deleted nor renumbered, and a store of schema 12
# (foreign keys) is migrated when opened.
pg_only
with_regions
awk 'BEGIN { print "reg_code,year,indicator,value";
    for (i = 0; i < 3; i++) for (y = 2000; y < 2020; y++) for (r = 1; r <= 20; r++)
        printf "%02d,%d,ind%02d,%d.5\n", r, y, i, i * 1000 + y + r }' >"$T/obs.csv"
sol import data "$T/obs.csv" --area-field reg_code --period-field year --indicator-field indicator
expect_exit 0
[ "$(store_version)" = 14 ] || fail "schema version $(store_version), expected 14"
n=$(store_sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'observation'::regclass
    AND contype = 'f'")
[ "$n" = 0 ] || fail "observation still has $n foreign keys"
# a period no observation uses, for a key that is free
spare=$(store_sql "INSERT INTO period (label, freq, idx) VALUES ('1900', 'A', 1900) RETURNING id")
snapshot
ids=$(store_sql "SELECT indicator_id || ',' || area_id || ',' || period_id || ',' || source_id
    FROM observation LIMIT 1")
IFS=, read -r ind area period src <<<"$ids"
refused() { # SQL WHAT: the statement fails naming WHAT, and the store is as it was
    set +e; store_sql "$1" >"$T/out" 2>"$T/err"; rc=$?; set -e
    [ "$rc" != 0 ] || fail "accepted: $1"
    expect_err "$2"; expect_unchanged
}
refused "INSERT INTO observation (indicator_id, area_id, period_id, value, source_id)
    VALUES ($ind, 999999, $period, 1, $src)" "\(indicator $ind, area 999999, .*refers to no area"
refused "INSERT INTO observation (indicator_id, area_id, period_id, value, source_id)
    VALUES ($ind, $area, $spare, 1, 999999)" "refers to no source"
refused "UPDATE observation SET period_id = 999999 WHERE indicator_id = $ind AND area_id = $area
    AND period_id = $period" "refers to no period"
refused "DELETE FROM area WHERE id = $area" "area $area is still referenced by observations"
refused "UPDATE indicator SET id = 999999 WHERE id = $ind" "indicator $ind is still referenced"
refused "DELETE FROM source WHERE id = $src" "source $src is still referenced"
# the switch is the import's own, for its transaction only: set by hand in a session, it does not
# outlive the transaction
refused "BEGIN; SET LOCAL solidata.bulk = on; COMMIT; INSERT INTO observation (indicator_id,
    area_id, period_id, value, source_id) VALUES ($ind, 999999, $period, 1, $src)" "refers to no area"
# a row that no observation references may go
store_sql "DELETE FROM period WHERE id = $spare"
snapshot
# a store made before schema 13 (foreign keys) is migrated when opened, its rows kept
store_sql "DROP TRIGGER observation_refs_i ON observation; DROP TRIGGER observation_refs_u ON observation;
    ALTER TABLE observation ADD FOREIGN KEY (area_id) REFERENCES area (id);
    UPDATE solidata_meta SET user_version = 12"
sol catalog; expect_exit 0
[ "$(store_version)" = 14 ] || fail "not migrated to 14"
n=$(store_sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'observation'::regclass
    AND contype = 'f'")
[ "$n" = 0 ] || fail "the migration left $n foreign keys"
expect_unchanged
