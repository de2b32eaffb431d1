# `store copy FROM TO` moves a whole store (sources, areas, observations, runs, accounts, the
# hash-chained audit log) into a new one; the copy exports exactly what the original exports, its
# audit chain still verifies, and it is refused, leaving nothing behind, when TO is not empty.
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --level municipality
expect_exit 0
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year
expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
sol spatial moran --indicator pct_income_0_10k --period 2021 --islands keep; expect_exit 0
sol publish run 1; expect_exit 0
sol store copy "$DB" "$T/copy.db"; expect_exit 0
expect_out '^copied [0-9]+ tables, [0-9]+ rows, from .* to .*copy.db; every table checked equal'
for what in "export data" "export areas" "catalog" "indicators" "runs"; do
    sol $what; cp "$T/out" "$T/a.txt"
    "$SOLIDATA" --db "$T/copy.db" $what >"$T/b.txt" 2>/dev/null || fail "$what on the copy"
    cmp -s "$T/a.txt" "$T/b.txt" || fail "$what differs on the copy: $(diff "$T/a.txt" "$T/b.txt" | head -5)"
done
"$SOLIDATA" --db "$T/copy.db" audit verify >"$T/out" 2>&1 || fail "the copy's audit chain: $(cat "$T/out")"
grep -q 'chain intact' "$T/out" || fail "audit verify on the copy: $(cat "$T/out")"
# the copy is a store like any other: a second copy of it equals the first
sol store copy "$T/copy.db" "$T/copy2.db"; expect_exit 0
"$SOLIDATA" --db "$T/copy2.db" export data >"$T/c.txt" 2>/dev/null
sol export data; cmp -s "$T/out" "$T/c.txt" || fail "a copy of the copy differs"
# into a store that holds something: refused, and that store is unchanged
snapshot_of() { sqlite3 "$1" .dump | sha256sum; }
before=$(snapshot_of "$T/copy.db")
sol store copy "$DB" "$T/copy.db"; expect_exit 1
expect_err 'the target store is not empty \(table [a-z_]+ has rows\)'
[ "$(snapshot_of "$T/copy.db")" = "$before" ] || fail "the refused target changed"
# the same store twice, and a missing argument: usage errors
sol store copy "$DB" "$DB"; expect_exit 2; expect_err 'FROM and TO are the same store'
sol store copy "$DB"; expect_exit 2
# a source that is not a store: refused, and the new target file is not left behind
echo "not a store" >"$T/notes.txt"
sol store copy "$T/notes.txt" "$T/new.db"; expect_exit 1
[ ! -e "$T/new.db" ] || fail "a failed copy left a new file behind"
# on PostgreSQL the copy above went from the server to a file; now from a file back to a new,
# empty database: the round trip exports what the original exports
if is_pg; then
    back=${DB##*/}_back
    pg_admin "DROP DATABASE IF EXISTS $back" >/dev/null
    pg_admin "CREATE DATABASE $back TEMPLATE solidata_template" >/dev/null
    at_exit "pg_drop_db $back >/dev/null"
    sol store copy "$T/copy.db" "${DB%/*}/$back"; expect_exit 0
    expect_out "from .*copy.db to postgresql://solidata:\*\*\*@"
    for what in "export data" "export areas" "catalog" "runs"; do
        sol $what; cp "$T/out" "$T/a.txt"
        "$SOLIDATA" --db "${DB%/*}/$back" $what >"$T/b.txt" 2>/dev/null || fail "$what on the database copy"
        cmp -s "$T/a.txt" "$T/b.txt" || fail "$what differs after the round trip: $(diff "$T/a.txt" "$T/b.txt" | head -5)"
    done
    "$SOLIDATA" --db "${DB%/*}/$back" audit verify >"$T/out" 2>&1 || fail "audit on the database copy: $(cat "$T/out")"
fi
