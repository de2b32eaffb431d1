# --db, then $SOLIDATA_DB, then ./solidata.db
sqlite_only
SOLIDATA_DB="$T/env.db" "$SOLIDATA" init >/dev/null || fail "env store"
[ -f "$T/env.db" ] || fail "SOLIDATA_DB not used"
(unset SOLIDATA_DB; cd "$T" && "$SOLIDATA" init >/dev/null) || fail "default store"
[ -f "$T/solidata.db" ] || fail "./solidata.db not created"
[ "$(sqlite3 "$T/env.db" 'PRAGMA journal_mode')" = wal ] || fail "not WAL"
"$SOLIDATA" --help | grep -q "import" || fail "no help"
for c in init import catalog areas indicators export; do
    "$SOLIDATA" $c --help >"$T/out" || fail "$c --help failed"
    grep -q usage "$T/out" || fail "$c --help says no usage"
done
"$SOLIDATA" frobnicate 2>"$T/err" && fail "unknown command accepted"
grep -q "unknown command 'frobnicate'" "$T/err" || fail "unknown command message"
