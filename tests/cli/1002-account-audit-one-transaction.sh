# An account and its audit entry are one transaction: when the audit entry cannot be written
# (here a trigger refuses it, as a kill between the two writes would leave it missing), no
# account is created either, and the audit log never lacks an account.
# an audit log that refuses every new entry (a full disk, say), and back
if is_pg; then
    audit_down="CREATE TRIGGER audit_down BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION solidata_refuse('audit down')"
    audit_up="DROP TRIGGER audit_down ON audit"
else
    audit_down="CREATE TRIGGER audit_down BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit down'); END"
    audit_up="DROP TRIGGER audit_down"
fi
with_regions
echo 'admin-pw-12' | "$SOLIDATA" --db "$DB" user add root --role admin 2>/dev/null
store_sql "$audit_down"
echo 'sneaky-pw-1' | "$SOLIDATA" --db "$DB" user add ghost --role admin 2>"$T/err" && fail "account created while its audit entry failed"
[ "$(store_sql "SELECT count(*) FROM account WHERE name = 'ghost'")" = 0 ] || fail "an account without its audit entry"
store_sql "$audit_up"
# every account has its account.add entry
n_acc=$(store_sql "SELECT count(*) FROM account")
n_aud=$(store_sql "SELECT count(DISTINCT json_extract(detail, '$.name')) FROM audit WHERE action = 'account.add'")
[ "$n_acc" = "$n_aud" ] || fail "$n_acc accounts, $n_aud audited"
# the same through the server: an admin adds an account while the audit log refuses writes
serve
J=(-H 'Content-Type: application/json')
curl -s -o "$T/out" -c "$T/root.jar" "${J[@]}" -d '{"name":"root","password":"admin-pw-12"}' "$URL/api/login"
rcsrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
store_sql "$audit_down"
get /api/users -X POST "${J[@]}" -b "$T/root.jar" -H "X-CSRF-Token: $rcsrf" -d '{"name":"ghost2","role":"admin","password":"ghost-pw-12"}'
[ "$code" = 201 ] && fail "the server created an account it could not audit"
[ "$(store_sql "SELECT count(*) FROM account WHERE name = 'ghost2'")" = 0 ] || fail "the server left an unaudited account"
store_sql "$audit_up"
stop_server
sol audit verify; expect_exit 0
# one account, one entry: 'user add' writes its account.add entry once, with the command's detail
[ "$(store_sql "SELECT count(*) FROM audit WHERE action = 'account.add' AND json_extract(detail, '$.name') = 'root'")" = 1 ] || fail "user add audited twice"
[ "$(store_sql "SELECT json_extract(detail, '$.via') FROM audit WHERE action = 'account.add' AND json_extract(detail, '$.name') = 'root'")" = cli ] || fail "the audit entry lost the command's detail"
