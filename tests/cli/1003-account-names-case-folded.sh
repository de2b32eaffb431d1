# Account names are compared ignoring case: 'ADM' cannot be created next to 'adm', and signing
# in as 'ADM' is signing in as 'adm' (the session carries the name as stored).
with_regions
echo 'admin-pw-12' | "$SOLIDATA" --db "$DB" user add adm --role admin 2>/dev/null
echo 'other-pw-12' | "$SOLIDATA" --db "$DB" user add ADM --role public 2>"$T/err" && fail "ADM created next to adm"
grep -q "already exists" "$T/err" || fail "no duplicate message: $(cat "$T/err")"
[ "$(store_sql "SELECT count(*) FROM account WHERE name = 'adm' COLLATE NOCASE")" = 1 ] || fail "two accounts for one folded name"
serve
J=(-H 'Content-Type: application/json')
get /api/login -X POST "${J[@]}" -d '{"name":"ADM","password":"admin-pw-12"}'; expect_code 200
expect_out '"name":"adm"'; expect_out '"role":"admin"'
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
curl -s -o /dev/null -c "$T/jar" "${J[@]}" -d '{"name":"aDm","password":"admin-pw-12"}' "$URL/api/login"
csrf=$(curl -s -b "$T/jar" "$URL/api/me" | sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/')
get /api/users -X POST "${J[@]}" -b "$T/jar" -H "X-CSRF-Token: $csrf" -d '{"name":"Adm","role":"public","password":"other-pw-12"}'; expect_code 409
stop_server
