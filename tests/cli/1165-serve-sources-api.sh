# The dashboard's corrections over loopback: GET /api/sources, POST /api/sources/remove,
# /api/sources/restore and /api/indicators/edit for analysts (CSRF), 401/403 for others, refused
# requests leave the store unchanged, changes audited under the signed-in account.
with_regions
printf 'code,fam\n01,12\n02,3\n03,7\n' >"$T/a.csv"
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti; expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
# a visitor: 401; a public account: 403
get /api/sources; expect_code 401
get /api/sources/remove -X POST "${J[@]}" -d '{"name":"aiuti"}'; expect_code 401
get /api/indicators/edit -X POST "${J[@]}" -d '{"code":"fam","unit":"x"}'; expect_code 401
curl -s -o "$T/out" -c "$T/pub.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-1"}' "$URL/api/login"
pcsrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
get /api/sources -b "$T/pub.jar"; expect_code 403
get /api/sources/remove -X POST "${J[@]}" -b "$T/pub.jar" -H "X-CSRF-Token: $pcsrf" -d '{"name":"aiuti"}'
expect_code 403
# an analyst
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
get /api/sources "${A[@]}"; expect_code 200
expect_out '"name":"aiuti","status":"current","current_version":1'; expect_out '"versions":\[\{"version":1'
get "/api/sources?name=aiuti" "${A[@]}"; expect_code 200; expect_out '"audit":\['; expect_out '"depends":\{'
get "/api/sources?name=aiuto" "${A[@]}"; expect_code 404; expect_out "did you mean 'aiuti'"
# writes need the CSRF token
get /api/sources/remove -X POST "${J[@]}" -b "$T/ana.jar" -d '{"name":"aiuti"}'; expect_code 403
expect_out 'CSRF'
# refused requests: the store unchanged
snapshot
get /api/sources/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuto"}'; expect_code 404
get /api/sources/remove -X POST "${J[@]}" "${A[@]}" -d '{"nom":"aiuti"}'; expect_code 400
expect_out 'needs \\"name\\"'
get /api/sources/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"italy_regions.geojson"}'; expect_code 400
get /api/sources/restore -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuti","version":"1"}'; expect_code 400
get /api/sources/restore -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuti","version":7}'; expect_code 404
expect_out "no version 7 of source 'aiuti'"
get /api/indicators/edit -X POST "${J[@]}" "${A[@]}" -d '{"code":"fam","polarity":"up"}'; expect_code 400
expect_out "polarity: 'up': expected higher_better, lower_better or none"
get /api/indicators/edit -X POST "${J[@]}" "${A[@]}" -d '{"code":"nope","unit":"x"}'; expect_code 404
get /api/indicators/edit -X POST "${J[@]}" "${A[@]}" -d '{"code":"fam","unit":3}'; expect_code 400
get /api/indicators/edit -X GET "${A[@]}"; expect_code 405
expect_unchanged
# remove, remove twice, restore; the public sees the change at once (no stale cached answer)
get "/api/observations?indicator=fam&period=2023"; expect_code 200; expect_out '"area":"01"'
get /api/sources/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuti"}'; expect_code 200
expect_out '"name":"aiuti","status":"removed","version":1,"values":3'
get "/api/observations?indicator=fam&period=2023"
grep -q '"area":"01"' "$T/out" && fail "a removed source's value still served"
get /api/sources/remove -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuti"}'; expect_code 400
expect_out 'already removed'
get /api/sources "${A[@]}"; expect_out '"name":"aiuti","status":"removed","current_version":null'
get /api/sources/restore -X POST "${J[@]}" "${A[@]}" -d '{"name":"aiuti","version":1}'; expect_code 200
expect_out '"status":"current","version":1,"values":3'
# an indicator edited: kind count withholds the small values
get /api/indicators/edit -X POST "${J[@]}" "${A[@]}" \
    -d '{"code":"fam","label_fr":"Familles aidées","polarity":"lower_better","kind":"count"}'
expect_code 200; expect_out '"label_fr":\{"old":null,"new":"Familles aidées"\}'
expect_out '"kind":\{"old":"other","new":"count"\}'; expect_out '"suppressed_primary":2'
get "/api/observations?indicator=fam"; expect_code 200
stop_server
store_sql "SELECT who || ' ' || action FROM audit WHERE action IN ('source.remove', 'source.restore', 'indicator.edit') ORDER BY id" >"$T/out"
expect_lines 3; expect_out '^ana source.remove$'; expect_out '^ana indicator.edit$'
