# A public visitor cannot obtain a suppressed count through any route or query-string variant:
# observations (with and without period, repeated and extra arguments), the profile and its
# series, the map, the CSV export route; a public account neither; an analyst sees the values
# flagged; the response cache never hands an analyst's answer to the public.
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
echo 'public-pw-1' | "$SOLIDATA" --db "$DB" user add pub --role public 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
curl -s -o /dev/null -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
curl -s -o /dev/null -c "$T/pub.jar" "${J[@]}" -d '{"name":"pub","password":"public-pw-1"}' "$URL/api/login"
A=(-b "$T/ana.jar")
# the analyst asks first, so that a cache keyed only on the URL would leak to the public
get "/api/observations?indicator=poor" "${A[@]}"; expect_code 200
expect_out '"area":"P1","period":"2023","indicator":"poor","value":4(\.0)?,"se":null,"flags":"suppressed"'
get "/api/areas/P1/profile" "${A[@]}"; expect_code 200; expect_out '"value":4(\.0)?,'
get "/api/map.svg?indicator=poor" "${A[@]}"; expect_code 200; grep -q 'data-code="P1" data-value="4"' "$T/out" || fail "analyst map without P1"
get "/api/export/observations.csv?indicator=poor" "${A[@]}"; expect_code 200; expect_out '^P1,2023,poor,4,,suppressed'
# no small count, and no complement, for anonymous visitors and public accounts
for who in anon pub; do
    C=(); [ $who = pub ] && C=(-b "$T/pub.jar")
    for q in "indicator=poor" "indicator=poor&period=2023" "period=2023&indicator=poor" \
             "indicator=poor&indicator=poor" "indicator=poor&period=2023&x=1" "indicator=poor&k=3"; do
        get "/api/observations?$q" ${C[@]+"${C[@]}"}; expect_code 200
        expect_out '"area":"P1","period":"2023","indicator":"poor","value":null,"se":null,"flags":"suppressed"'
        expect_out '"area":"P3","period":"2023","indicator":"poor","value":null'
        expect_out '"area":"R1","period":"2023","indicator":"poor","value":100'
        grep -qE '"value":(4|5|26|45)(\.0)?[,}]' "$T/out" && fail "$who got a suppressed value with ?$q"
    done
    for a in P1 P3 P6; do
        get "/api/areas/$a/profile" ${C[@]+"${C[@]}"}; expect_code 200
        expect_out '"indicator":"poor".*"value":null,"se":null,"flags":"suppressed","rank_desc":null'
        expect_out '"series":\[\["2023",null,"suppressed"\]\]'
        grep -qE '"value":(4|5|26|45)(\.0)?[,}]|\["2023",(4|5|26|45)' "$T/out" && fail "$who: $a's profile leaks"
    done
    get "/api/map.svg?indicator=poor" ${C[@]+"${C[@]}"}; expect_code 200
    grep -q 'data-code="P1" data-value=""' "$T/out" || fail "$who: P1 has a value on the map"
    grep -q 'P1: suppressed (small count)' "$T/out" || fail "$who: P1 not labelled suppressed"
    grep -qE 'data-value="(4|5|26|45)"' "$T/out" && fail "$who: the map leaks"
    get "/api/map.svg?indicator=poor&period=2023&classes=equal" ${C[@]+"${C[@]}"}; expect_code 200
    grep -qE 'data-value="(4|5|26|45)"' "$T/out" && fail "$who: the map leaks (equal classes)"
    get "/api/export/observations.csv?indicator=poor" ${C[@]+"${C[@]}"}
    [ "$code" = 401 ] || [ "$code" = 403 ] || fail "$who: export answered $code"
done
# a rate is not a count: published
get "/api/observations?indicator=rate"; expect_code 200; expect_out '"area":"P1","period":"2023","indicator":"rate","value":0.05'
stop_server
