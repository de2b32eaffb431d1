# Failed logins cannot flood the audit log: 40 attempts with names of 512 kB (a password typed
# into the name field, say) write at most SOL_LOGIN_AUDIT_ROWS (10) entries from one address per
# minute, each naming at most 64 bytes of the name, and one summary counts the rest.
with_regions
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
head -c 524288 /dev/zero | tr '\0' 'p' >"$T/name"
printf '{"name":"%s","password":"secret-pw-9"}' "$(cat "$T/name")" >"$T/body"
for i in $(seq 1 40); do
    curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$T/body" "$URL/api/login"
done
n=$(store_sql "SELECT count(*) FROM audit WHERE action LIKE 'login.%'")
[ "$n" -le 10 ] || fail "$n audit entries for 40 failed logins"
longest=$(store_sql "SELECT max(length(json_extract(detail, '$.name'))) FROM audit WHERE action LIKE 'login.%'")
[ "$longest" -le 64 ] || fail "a logged name of $longest bytes"
stop_server
# the rest is counted in one summary entry (written when the window closes or the server stops)
s=$(store_sql "SELECT sum(CAST(json_extract(detail, '$.count') AS INTEGER)) FROM audit WHERE action = 'login.audit_suppressed'")
[ "$s" = $((40 - n)) ] || fail "summary counts '$s', expected $((40 - n))"
sol audit verify; expect_exit 0
