# The connectors over the API: GET /api/connectors and POST /api/connectors/refresh for analysts
# (401 for visitors, CSRF required); a refresh from the dashboard of a revised answer puts the
# revision first in GET /api/alerts (the emerging needs), with its sentence in each language.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
printf 'code,name\n001001,Agliè\n001002,Airasca\n' >"$T/names.csv"
add_nidi --area-names "$T/names.csv"
expect_exit 0
sol refresh nidi
expect_exit 0
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
get /api/connectors; expect_code 401
get /api/connectors/refresh -X POST "${J[@]}" -d '{}'; expect_code 401
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf")
get /api/connectors "${A[@]}"; expect_code 200
expect_out '"name":"nidi","kind":"sdmx","provider":"ISTAT","dataflow":"47_850"'; expect_out '"last_outcome":"new-version"'
get /api/connectors/refresh -X POST "${J[@]}" -b "$T/ana.jar" -d '{"name":"nidi"}'; expect_code 403
get /api/connectors/refresh -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi"}'; expect_code 200
expect_out '"outcome":"not-modified"'
get /api/connectors/refresh -X POST "${J[@]}" "${A[@]}" -d '{"name":"nosuch"}'; expect_code 404
mode revised
get /api/connectors/refresh -X POST "${J[@]}" "${A[@]}" -d '{"name":"nidi"}'; expect_code 200
expect_out '"outcome":"new-version","version":2,"added":0,"revised":1,"removed":0'
get /api/alerts; expect_code 200
expect_out '"alerts":\[\{"area":"001001","area_name":"Agliè","indicator":"47_850.AUTP.ALL.ALL.1"'
expect_out '"kind":"revision"'
expect_out '"it":"[^"]*20 → 25 \(Agliè, Servizi socio-educativi per la prima infanzia \(AUTP, ALL, ALL, 1\), 2023\)"'
stop_server
