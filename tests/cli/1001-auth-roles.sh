# Accounts and roles over loopback: 401/403 by role, CSRF on writes, bad JSON, cookie flags,
# the audit log, and login rate limiting (last: it locks this address out for a minute).
with_regions
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'admin-pw-12' | "$SOLIDATA" --db "$DB" user add root --role admin 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
sol user add x --role boss </dev/null; expect_exit 1; expect_err "expected public, analyst or admin"
echo 'short' | "$SOLIDATA" --db "$DB" user add shorty --role public 2>"$T/err" && fail "short password accepted"
grep -q "8 to 1024 bytes" "$T/err" || fail "no password length message"
sol user list; expect_exit 0; expect_out '^ana,analyst,'; expect_out '^root,admin,'
store_sql "SELECT pwhash FROM account WHERE name = 'ana'" | grep -q '^\$argon2id\$' || fail "not Argon2id"
store_sql "INSERT INTO run (kind, spec, method_card, result, created_at) VALUES
  ('index', '{}', '{\"method\":{\"name\":\"mpi\"}}', '{\"scores\":[1,2,3]}', '2024-01-01T00:00:00Z')"
serve
# anonymous = public: published aggregates yes, analyst and admin routes no (401)
get /api/me; expect_code 200; expect_out '"signed_in":false'
get /api/runs; expect_code 200; expect_out '"method_card"'; grep -q '"result"' "$T/out" && fail "run list leaks results"
get /api/runs/1; expect_code 401; expect_out 'sign in'
get "/api/export/observations.csv?indicator=x"; expect_code 401
get /api/users; expect_code 401
get /api/audit; expect_code 401
get /api/users -X POST -H 'Content-Type: application/json' -d '{}'; expect_code 401
get /api/logout -X POST -H 'Content-Type: application/json' -d '{}'; expect_code 401
get /api/login; expect_code 405
# bad bodies
J=(-H 'Content-Type: application/json')
get /api/login -X POST "${J[@]}" -d '{"name": "ana", '; expect_code 400; expect_out 'not valid JSON: .*line 1'
get /api/login -X POST "${J[@]}" -d '[1]'; expect_code 400; expect_out 'must be a JSON object'
get /api/login -X POST "${J[@]}" -d '{"name":"ana"}'; expect_code 400; expect_out 'needs \\"password\\"'
get /api/login -X POST -d '{"name":"ana","password":"analyst-pw-1"}'; expect_code 415
# an analyst signs in: the cookie is HttpOnly, SameSite=Strict, Path=/
curl -s -D "$T/h" -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
grep -qi '^set-cookie: sol_session=[0-9a-f]\{64\}; HttpOnly; SameSite=Strict; Path=/; Max-Age=' "$T/h" || fail "cookie flags: $(grep -i set-cookie "$T/h")"
grep -qi 'set-cookie:.*Secure' "$T/h" && fail "Secure on plain http"
expect_out '"role":"analyst"'; expect_out '"csrf":"[0-9a-f]{64}"'
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar")
get /api/me "${A[@]}"; expect_code 200; expect_out '"name":"ana"'; expect_out "\"csrf\":\"$csrf\""
get /api/runs/1 "${A[@]}"; expect_code 200; expect_out '"result":\{"scores":\[1,2,3\]\}'
get /api/runs/abc "${A[@]}"; expect_code 400
get /api/runs/42 "${A[@]}"; expect_code 404
with_data() { printf 'code,v\n01,1.5\n02,2\n' >"$T/d.csv"; "$SOLIDATA" --db "$DB" import data "$T/d.csv" --area-field code --period 2020 2>/dev/null; }
with_data
get "/api/export/observations.csv?indicator=v" "${A[@]}"; expect_code 200
expect_out '^area,period,indicator,value,se,flags$'; expect_out '^01,2020,v,1.5,,'
get /api/users "${A[@]}"; expect_code 403; expect_out 'needs the admin role'
get /api/audit "${A[@]}"; expect_code 403
# a public account may not see run results either (403: signed in, wrong role)
curl -s -o /dev/null -c "$T/pub.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-1"}' "$URL/api/login"
get /api/runs/1 -b "$T/pub.jar"; expect_code 403
# a forged cookie is nobody
get /api/runs/1 -H "Cookie: sol_session=$(printf '%064d' 0)"; expect_code 401
# writes need the CSRF token
get /api/logout -X POST "${J[@]}" "${A[@]}" -d '{}'; expect_code 403; expect_out 'CSRF'
get /api/logout -X POST "${J[@]}" "${A[@]}" -H "X-CSRF-Token: $(printf '%064d' 1)" -d '{}'; expect_code 403
# an admin adds an account (CSRF required), reads accounts and the audit log
curl -s -o "$T/out" -c "$T/root.jar" "${J[@]}" -d '{"name":"root","password":"admin-pw-12"}' "$URL/api/login"
rcsrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
R=(-b "$T/root.jar")
get /api/users -X POST "${J[@]}" "${R[@]}" -d '{"name":"eve","role":"analyst","password":"eve-pw-123"}'; expect_code 403
get /api/users -X POST "${J[@]}" "${R[@]}" -H "X-CSRF-Token: $rcsrf" -d '{"name":"eve","role":"analyst","password":"eve-pw-123"}'; expect_code 201
get /api/users -X POST "${J[@]}" "${R[@]}" -H "X-CSRF-Token: $rcsrf" -d '{"name":"eve","role":"analyst","password":"eve-pw-123"}'; expect_code 409
get /api/users -X POST "${J[@]}" "${R[@]}" -H "X-CSRF-Token: $rcsrf" -d '{"name":"bad name","role":"analyst","password":"eve-pw-123"}'; expect_code 400
get /api/users -X POST "${J[@]}" "${R[@]}" -H "X-CSRF-Token: $rcsrf" -d '{"name":"z","role":"boss","password":"eve-pw-123"}'; expect_code 400; expect_out "expected public, analyst or admin"
get /api/users "${R[@]}"; expect_code 200; expect_out '"name":"eve","role":"analyst","created_at":"[^"]*","created_by":"root"'
get /api/audit "${R[@]}"; expect_code 200
for a in account.add login export; do grep -q "\"action\":\"$a\"" "$T/out" || fail "no $a in the audit log"; done
# logout with the token ends the session and clears the cookie
curl -s -D "$T/h" -o "$T/out" "${J[@]}" "${A[@]}" -H "X-CSRF-Token: $csrf" -d '{}' "$URL/api/logout"
grep -qi '^set-cookie: sol_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' "$T/h" || fail "cookie not cleared"
get /api/runs/1 "${A[@]}"; expect_code 401
[ "$(store_sql "SELECT count(*) FROM audit WHERE action = 'logout' AND who = 'ana'")" = 1 ] || fail "logout not audited"
# rate limiting: 5 failures a minute from one address, then 429 even with the right password
for i in 1 2 3 4 5; do
    get /api/login -X POST "${J[@]}" -d '{"name":"ana","password":"wrong-pw-1"}'; expect_code 401
done
curl -s -D "$T/h" -o "$T/out" -w '%{http_code}' "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login" >"$T/code"
[ "$(cat "$T/code")" = 429 ] || fail "6th login answered $(cat "$T/code")"
grep -qi '^retry-after: [0-9]' "$T/h" || fail "no Retry-After"
[ "$(store_sql "SELECT count(*) FROM audit WHERE action = 'login.failed'")" = 5 ] || fail "failures not audited"
[ "$(store_sql "SELECT count(*) FROM audit WHERE action = 'login.limited'")" = 1 ] || fail "429 not audited"
stop_server
