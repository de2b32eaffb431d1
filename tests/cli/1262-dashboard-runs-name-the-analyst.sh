# Runs started from the dashboard are recorded as made by the signed-in analyst, not by the
# account the server process runs under; the same process serves the next request, anonymous,
# without keeping the analyst's name.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0"
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
export SOLIDATA_USER=server-process
serve
J=(-H 'Content-Type: application/json')
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf" "${J[@]}")
get /api/runs/lisa -X POST "${A[@]}" -d '{"indicator":"04BEC006P","period":"2021"}'; expect_code 201
get /api/runs/index -X POST "${A[@]}" -d '{"indicators":[{"code":"04BEC006P","weight":3,"polarity":"lower_better"},{"code":"01SAL001","weight":1}]}'
expect_code 201
who=$(store_sql "SELECT DISTINCT created_by FROM run" | paste -sd, -)
[ "$who" = ana ] || fail "runs made from the dashboard are recorded as made by '$who', not by ana"
store_sql "SELECT json_extract(method_card, '$.who') FROM run" | sort -u | grep -qx ana ||
    fail "the method card does not name ana: $(store_sql "SELECT method_card FROM run LIMIT 1")"
# an anonymous request served afterwards by the same threads carries no name
get /api/runs -H 'Accept: application/json'; expect_code 200
stop_server
# the command line still names the process's user
unset SOLIDATA_USER
SOLIDATA_USER=cli-user sol spatial lisa --indicator 04BEC006P --period 2021 --islands keep --permutations 99 --seed 1 --out "$T/l.csv"
expect_exit 0
[ "$(store_sql "SELECT created_by FROM run ORDER BY id DESC LIMIT 1")" = cli-user ] || fail "the command's run does not name SOLIDATA_USER"
