# One account cannot push others out of the session table: its sessions are capped
# (SOL_MAX_SESSIONS_PER_ACCOUNT = 16) and a 17th sign-in ends its own oldest session, while the
# admin's session lives on. (The attack signs in 4,096 times; 17 show the rule at test speed.)
with_regions
echo 'admin-pw-12' | "$SOLIDATA" --db "$DB" user add root --role admin 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
curl -s -o /dev/null -c "$T/root.jar" "${J[@]}" -d '{"name":"root","password":"admin-pw-12"}' "$URL/api/login"
for i in $(seq 1 17); do
    curl -s -o /dev/null -c "$T/pub.$i.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-1"}' "$URL/api/login"
done
get /api/me -b "$T/root.jar"; expect_code 200; expect_out '"name":"root"'
get /api/me -b "$T/pub.17.jar"; expect_code 200; expect_out '"name":"pub"'
get /api/me -b "$T/pub.2.jar"; expect_code 200; expect_out '"name":"pub"'
get /api/me -b "$T/pub.1.jar"; expect_code 200; expect_out '"signed_in":false'
stop_server
