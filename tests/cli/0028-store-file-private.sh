# A new store file is the owner's alone (mode 600, whatever the umask lets others read), and so are
# its -wal and -shm files while the server has it open; an existing store keeps the mode its owner
# gave it; a store in a folder that does not exist is still an error.
sqlite_only
umask 022
sol init; expect_exit 0
[ "$(stat -c %a "$DB")" = 600 ] || fail "new store has mode $(stat -c %a "$DB"), expected 600"
# the first command on a missing file creates it too (import, not only init)
DB=$T/t.db
sol import areas "$DATA/italy_regions.geojson" --code-field reg_code --name-field reg_name; expect_exit 0
[ "$(stat -c %a "$DB")" = 600 ] || fail "store made by import has mode $(stat -c %a "$DB")"
serve
get /api/health; expect_code 200
for f in "$DB-wal" "$DB-shm"; do
    [ -e "$f" ] || fail "no $(basename "$f") while the server runs"
    [ "$(stat -c %a "$f")" = 600 ] || fail "$(basename "$f") has mode $(stat -c %a "$f")"
done
stop_server
# an existing store: the owner's choice stands
chmod 640 "$DB"
sol init; expect_exit 0
[ "$(stat -c %a "$DB")" = 640 ] || fail "existing store's mode changed to $(stat -c %a "$DB")"
DB=$T/no/such/folder/s.db
sol init; expect_exit 1
[ -e "$DB" ] && fail "a store appeared in a missing folder"
true
