# The JSON API over loopback: data routes, errors as JSON with the right status, ETags, caps.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0"
serve
grep -q "serving .* on http://127.0.0.1:" "$T/serve.log" || fail "not bound to 127.0.0.1"
get /api/health; expect_code 200; expect_out '"status":"ok"'
get /api/indicators; expect_code 200; expect_out '"code":"04BEC006P","label":"Pensionati con reddito pensionistico di basso importo"'
get "/api/observations?indicator=04BEC006P&period=2021"; expect_code 200
expect_out '"period":"2021"'; [ "$(grep -o '"area":' "$T/out" | wc -l)" = 20 ] || fail "not 20 values"
get "/api/observations?indicator=04BEC006P"; expect_code 200; expect_out '"period":"2023"'
get "/api/observations"; expect_code 400; expect_out '"error":"give \?indicator=CODE'
get "/api/observations?indicator=NOPE"; expect_code 404; expect_out "no indicator 'NOPE'"
get "/api/observations?indicator=04BEC006P&period=1900"; expect_code 404
get /api/areas; expect_code 200; [ "$(grep -o '"type":"Feature"' "$T/out" | wc -l)" = 20 ] || fail "not 20 features"
get /api/areas/12/profile; expect_code 200; expect_out '"name":"Lazio"'; expect_out '"rank_desc":'
get /api/areas/99/profile; expect_code 404
get /api/catalog; expect_code 200; expect_out '"licence":"CC BY 3.0"'
get /api/runs; expect_code 200; expect_out '^\[\]$'
get /api/runs/42; expect_code 401 # run results are for analysts (1001-auth-roles.sh)
get /api/nope; expect_code 404; expect_out '"error":"no such API route'
get /nope.html; expect_code 404
get "/../../etc/passwd"; [ "$code" = 400 ] || [ "$code" = 404 ] || fail "path traversal answered $code"
get "/static/../../../etc/passwd"; [ "$code" = 400 ] || [ "$code" = 404 ] || fail "path traversal answered $code"
get / ; expect_code 200; expect_out "<html"
# the server-rendered choropleth: one path per region, sources credited
get "/api/map.svg?indicator=04BEC006P&period=2021"; expect_code 200
[ "$(grep -o '<path[^>]*data-code=' "$T/out" | wc -l)" = 20 ] || fail "map without 20 areas"
expect_out "CC BY 3.0"
get "/api/map.svg?indicator=04BEC006P&k=99"; expect_code 400
get "/api/map.svg?indicator=NOPE"; expect_code 404
get "/api/map.svg?indicator=04BEC006P&classes=magic"; expect_code 400
# security headers on every response
curl -s -D "$T/h" -o /dev/null "$URL/api/health"
grep -qi "^content-security-policy: default-src 'self'" "$T/h" || fail "no CSP"
grep -qi "^x-content-type-options: nosniff" "$T/h" || fail "no nosniff"
grep -qi "frame-ancestors 'none'" "$T/h" || fail "no frame-ancestors"
# ETag: an unchanged store answers 304, a changed one a new ETag
etag=$(curl -s -D - -o /dev/null "$URL/api/indicators" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
[ -n "$etag" ] || fail "no ETag"
get /api/indicators -H "If-None-Match: $etag"; expect_code 304
printf 'code,v\n01,1\n' >"$T/n.csv"
"$SOLIDATA" --db "$DB" import data "$T/n.csv" --area-field code --period 2020 2>/dev/null
get /api/indicators -H "If-None-Match: $etag"; expect_code 200; expect_out '"code":"v"'
# hostile requests: huge body, huge header, writes on a read-only route, bad methods
head -c 2000000 /dev/zero >"$T/big"
get /api/health -X POST --data-binary @"$T/big"; expect_code 413
get /api/health -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)"; expect_code 431
get /api/indicators -X POST -d '{}'; expect_code 405
get /api/indicators -X DELETE; expect_code 405
stop_server
