# Adding a connector from the dashboard: GET /api/connectors/search and /structure and POST
# /api/connectors (+ /remove) for analysts only (401 anonymous, 403 public, 403 without the CSRF
# token); a key of the wrong length and an unknown provider are 400 with the message in the
# asker's language and the store unchanged; a good one is 201, listed, and audited by name.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'public-pw-12' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
GOOD='{"name":"nidi","provider":"ISTAT","dataflow":"47_850","choices":[["A"],["001001","001002"],["AUTP"],["ALL"],["ALL"],["1"]],"every":"monthly","add_areas":true,"level":"municipality"}'
get '/api/connectors/search?provider=ISTAT&q=nidi'; expect_code 401
get /api/connectors -X POST "${J[@]}" -d "$GOOD"; expect_code 401
curl -s -o "$T/out" -c "$T/pub.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-12"}' "$URL/api/login"
pcsrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
get /api/connectors -X POST "${J[@]}" -b "$T/pub.jar" -H "X-CSRF-Token: $pcsrf" -d "$GOOD"; expect_code 403
get '/api/connectors/structure?provider=ISTAT&dataflow=47_850' -b "$T/pub.jar"; expect_code 403
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
# discovery
get '/api/connectors/search?provider=ISTAT&q=prima+infanzia&lang=it' "${A[@]}"; expect_code 200
expect_out '"id":"47_850","name":"[^"]*prima infanzia'
get '/api/connectors/search?provider=ISTTA&q=nidi' "${A[@]}"; expect_code 400
expect_out 'ISTAT'
get '/api/connectors/structure?provider=ISTAT&dataflow=47_850' "${A[@]}"; expect_code 200
expect_out '"id":"REF_AREA"[^}]*"geo":true'
expect_out '"time":true'
# failures leave the store as it was
before=$(data_digest)
get /api/connectors -X POST "${J[@]}" -b "$T/ana.jar" -d "$GOOD"; expect_code 403
get /api/connectors -X POST "${J[@]}" "${A[@]}" -H 'Accept-Language: fr' \
    -d '{"name":"nidi","provider":"ISTAT","dataflow":"47_850","key":"A.001001.AUTP"}'
expect_code 400
expect_out 'dimensions'
grep -q '"error":"la clé « A.001001.AUTP » a 3 parties' "$T/out" || fail "the bad key's message is not in French: $(cat "$T/out")"
get /api/connectors -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi","provider":"ISTTA","dataflow":"47_850"}'
expect_code 400; expect_out 'ISTAT'
get /api/connectors -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi","provider":"ISTAT","dataflow":"47_850","every":"daily"}'
expect_code 400
[ "$(data_digest)" = "$before" ] || fail "a failed add changed the store"
get /api/connectors "${A[@]}"; expect_code 200; expect_out '"connectors":\[\]'
# success
get /api/connectors -X POST "${J[@]}" "${A[@]}" -d "$GOOD"; expect_code 201
expect_out '"name":"nidi","kind":"sdmx","provider":"ISTAT","dataflow":"47_850","key":"A.001001\+001002.AUTP.ALL.ALL.1"'
expect_out '"every_seconds":2592000'
get /api/connectors -X POST "${J[@]}" "${A[@]}" -d "$GOOD"; expect_code 409
get /api/connectors "${A[@]}"; expect_code 200; expect_out '"name":"nidi"'
store_sql "SELECT who FROM audit WHERE action='connector.add'" | grep -qx ana ||
    fail "the add is not audited under the analyst's name"
get /api/connectors/refresh -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi"}'; expect_code 200
expect_out '"outcome":"new-version"'
get /api/connectors/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi"}'; expect_code 200
get /api/connectors "${A[@]}"; expect_out '"connectors":\[\]'
stop_server
