# Schema 14: the withheld observations have an index of their own, so that clearing the disclosure
# flags before each refresh reads those rows and not the whole table. The flags are the same as
# without it (the small counts and their complements withheld), the clear is planned on the index,
# and a store of schema 13 gets the index when opened, its flags kept.
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
withheld() { store_csv "SELECT a.code, o.sdc FROM observation o JOIN area a ON a.id = o.area_id
    WHERE o.sdc <> 0 ORDER BY a.code"; }
withheld >"$T/flags"
# P1 (4) and P6 (5) under k = 10, and the smallest other province of each region (P3, P5) so
# that neither can be recovered from its region's total (as 0611 finds without the index)
[ "$(paste -sd' ' "$T/flags")" = "P1,1 P3,2 P5,2 P6,1" ] ||
    fail "unexpected flags: $(paste -sd' ' "$T/flags")"
if is_pg; then
    def=$(store_sql "SELECT indexdef FROM pg_indexes WHERE indexname = 'observation_withheld'")
    case $def in *"WHERE (sdc <> 0)"*) ;; *) fail "no partial index on the withheld rows: $def" ;; esac
else
    store_sql "EXPLAIN QUERY PLAN UPDATE observation SET sdc = 0 WHERE sdc <> 0" >"$T/plan"
    grep -q "USING COVERING INDEX observation_withheld" "$T/plan" ||
        fail "the clear reads the whole table: $(cat "$T/plan")"
fi
# a store of schema 13, without the index, is migrated when opened; the flags are as before
store_sql "DROP INDEX observation_withheld"
store_version 13 >/dev/null
sol catalog; expect_exit 0
[ "$(store_version)" = 14 ] || fail "schema version $(store_version), expected 14"
[ "$(store_sql "SELECT count(*) FROM $(is_pg && echo pg_indexes WHERE indexname ||
    echo sqlite_master WHERE name) = 'observation_withheld'")" = 1 ] || fail "the index was not made"
withheld | cmp -s - "$T/flags" || fail "the migration changed the flags"
# a change of k recomputes the flags through the index: none withheld at k = 3, the same again at 10
sol budget set counts.csv --min-cell 3; expect_exit 0
[ -z "$(withheld)" ] || fail "flags left after lowering k: $(withheld | paste -sd' ')"
sol budget set counts.csv --min-cell 10; expect_exit 0
withheld | cmp -s - "$T/flags" || fail "flags differ after k went back to 10"
