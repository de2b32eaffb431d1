# Wrong credentials: refused, said as such (not as an unreachable server), the password never
# printed, nothing written.
pg_only
bad=$(printf '%s' "$DB" | sed 's#://solidata:solidata@#://solidata:Wr0ng-pw@#')
"$SOLIDATA" --db "$bad" init >"$T/out" 2>"$T/err" && fail "a wrong password was accepted"
grep -q "refused the user name or password" "$T/err" || fail "message: $(cat "$T/err")"
grep -q "Wr0ng-pw" "$T/err" "$T/out" && fail "the password was printed"
[ "$(store_sql "SELECT to_regclass('solidata_meta') IS NULL")" = t ] || fail "something was written"
# an unknown role reads the same (no telling which of the two was wrong)
bad=$(printf '%s' "$DB" | sed 's#://solidata:solidata@#://nobody:x@#')
"$SOLIDATA" --db "$bad" init >"$T/out" 2>"$T/err" && fail "an unknown role was accepted"
grep -q "refused the user name or password" "$T/err" || fail "message: $(cat "$T/err")"
