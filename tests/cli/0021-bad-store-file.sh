# a file that is not a solidata store is refused and left byte-for-byte as it was
sqlite_only
echo "just some text, not a database at all......................................................" >"$T/notes.txt"
cp "$T/notes.txt" "$T/orig"
"$SOLIDATA" --db "$T/notes.txt" init >"$T/out" 2>"$T/err" && fail "accepted a text file"
grep -q "notes.txt: not a solidata store" "$T/err" || fail "message: $(cat "$T/err")"
cmp -s "$T/notes.txt" "$T/orig" || fail "the file was modified"
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
sum=$(sha256sum <"$T/other.db")
"$SOLIDATA" --db "$T/other.db" areas >"$T/out" 2>"$T/err" && fail "accepted another application's database"
grep -q "an SQLite database of another application" "$T/err" || fail "message: $(cat "$T/err")"
[ "$(sha256sum <"$T/other.db")" = "$sum" ] || fail "the other database was modified"
# a newer schema is refused with a clear message
sol init; store_version 99 >/dev/null
sol areas; expect_exit 1; expect_err "store schema version 99 is newer than this solidata"
