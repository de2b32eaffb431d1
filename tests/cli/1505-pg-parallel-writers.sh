# Many writers at once on one store: 4 processes each importing its own files and editing
# indicators, with a reader computing alongside; no write is lost, none fails for the others,
# and the audit log stays one hash chain (audit verify). On SQLite the same holds (one writer at
# a time, the others wait), so the test runs on both backends.
with_regions
sol audit verify; expect_exit 0
before=$(store_sql "SELECT count(*) FROM audit")
writer() {
    local w=$1 k
    for k in 1 2 3; do
        awk -v w="$w" -v k="$k" 'BEGIN { print "code,w" w "_" k;
            for (r = 1; r <= 20; r++) printf "%02d,%d\n", r, w * 100 + k * 10 + r }' >"$T/w$w-$k.csv"
        SOLIDATA_USER=writer$w "$SOLIDATA" --db "$DB" import data "$T/w$w-$k.csv" --area-field code \
            --period 2023 --source "w$w-$k" >"$T/w$w-$k.out" 2>&1 || { echo "import $w $k failed" >>"$T/errors"; cat "$T/w$w-$k.out" >>"$T/errors"; }
        SOLIDATA_USER=writer$w "$SOLIDATA" --db "$DB" indicator edit "w${w}_$k" --label "Writer $w, file $k" \
            >"$T/e$w-$k.out" 2>&1 || { echo "edit $w $k failed" >>"$T/errors"; cat "$T/e$w-$k.out" >>"$T/errors"; }
    done
}
reader() {
    local i
    for i in 1 2 3 4 5; do
        "$SOLIDATA" --db "$DB" areas >/dev/null 2>>"$T/errors" || echo "reader failed" >>"$T/errors"
        "$SOLIDATA" --db "$DB" catalog >/dev/null 2>>"$T/errors" || echo "reader failed" >>"$T/errors"
    done
}
pids=""
for w in 1 2 3 4; do writer $w & pids="$pids $!"; done
reader & pids="$pids $!"
for p in $pids; do wait "$p"; done
[ ! -s "$T/errors" ] || fail "a writer or reader failed: $(head -c 2000 "$T/errors")"
# every write is there
[ "$(store_sql "SELECT count(*) FROM source WHERE name LIKE 'w%-%' AND status = 'current'")" = 12 ] || fail "sources lost"
[ "$(store_sql "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id WHERE i.code LIKE 'w%'")" = 240 ] || fail "values lost"
[ "$(store_sql "SELECT count(*) FROM indicator WHERE label LIKE 'Writer %, file %'")" = 12 ] || fail "edits lost"
# one chain: every entry follows the one before
sol audit verify; expect_exit 0; expect_out "chain intact"
after=$(store_sql "SELECT count(*) FROM audit")
[ "$after" -ge $((before + 24)) ] || fail "audit entries lost: $before before, $after after"
[ "$(store_sql "SELECT count(DISTINCT id) FROM audit")" = "$after" ] || fail "two entries share an id"
