# POST /api/connectors refuses in the asker's language, with the store unchanged: an unknown
# dataflow (404), a schedule not understood, malformed choices, a name already in use (409),
# a missing name; removing an unknown connector is 404. Italian and English messages.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
post() { get /api/connectors -X POST "${J[@]}" "${A[@]}" "$@"; }
before=$(data_digest)
post -H 'Accept-Language: it' -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","key":"A.001001.AUTP"}'
expect_code 400; expect_out '"error":"la chiave'
post -H 'Accept-Language: it' -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","every":"daily"}'
expect_code 400; expect_out "'daily'"
post -d '{"name":"x","provider":"ISTAT","dataflow":"nosuch_flow"}'; expect_code 404
post -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","choices":[["A.B"]]}'; expect_code 400
expect_out 'one per dimension'
post -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","choices":"A"}'; expect_code 400
post -d '{"provider":"ISTAT","dataflow":"47_850"}'; expect_code 400; expect_out 'give the connector a name'
post -d '{"name":7,"provider":"ISTAT","dataflow":"47_850"}'; expect_code 400
post -d 'not json'; expect_code 400
get /api/connectors/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"nosuch"}'; expect_code 404
[ "$(data_digest)" = "$before" ] || fail "a refused add changed the store"
# a name in use: 409, and the first connector as it was
post -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","key":"A.001001+001002.AUTP.ALL.ALL.1","add_areas":true,"level":"municipality"}'
expect_code 201
after=$(data_digest)
post -d '{"name":"x","provider":"ISTAT","dataflow":"47_850","key":"A.001001.AUTP.ALL.ALL.1"}'
expect_code 409
[ "$(data_digest)" = "$after" ] || fail "a refused duplicate changed the store"
get /api/connectors "${A[@]}"; expect_out '"key":"A.001001\+001002.AUTP.ALL.ALL.1"'
stop_server
