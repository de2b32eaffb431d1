# Cached replies are also kept gzip-compressed for clients that accept it: the same bytes once
# decompressed, their own ETag (and 304 on it), Vary on every variant; small replies and
# clients that refuse gzip (q=0) get the plain body.
with_regions
serve
curl -s -D "$T/h1" -o "$T/plain" "$URL/api/areas"
curl -s -D "$T/h2" -o "$T/gz" -H 'Accept-Encoding: gzip, deflate' "$URL/api/areas"
grep -qi '^content-encoding: gzip' "$T/h2" || fail "no gzip for a client that accepts it"
grep -qi '^content-encoding' "$T/h1" && fail "gzip sent to a client that did not ask"
grep -qi '^vary: accept-encoding' "$T/h1" || fail "no Vary on the plain variant"
grep -qi '^vary: accept-encoding' "$T/h2" || fail "no Vary on the gzip variant"
gunzip -c "$T/gz" | cmp -s - "$T/plain" || fail "gzip body differs from the plain one"
[ "$(wc -c <"$T/gz")" -lt "$(wc -c <"$T/plain")" ] || fail "gzip body not smaller"
e1=$(tr -d '\r' <"$T/h1" | sed -n 's/^[Ee][Tt]ag: //p'); e2=$(tr -d '\r' <"$T/h2" | sed -n 's/^[Ee][Tt]ag: //p')
[ -n "$e1" ] && [ -n "$e2" ] && [ "$e1" != "$e2" ] || fail "variants share an ETag ($e1, $e2)"
get /api/areas -H 'Accept-Encoding: gzip' -H "If-None-Match: $e2"; expect_code 304
get /api/areas -H "If-None-Match: $e1"; expect_code 304
curl -s -D "$T/h3" -o /dev/null -H 'Accept-Encoding: gzip;q=0' "$URL/api/areas"
grep -qi '^content-encoding' "$T/h3" && fail "gzip sent despite q=0"
curl -s -D "$T/h4" -o /dev/null -H 'Accept-Encoding: gzip' "$URL/api/health"
grep -qi '^content-encoding' "$T/h4" && fail "a tiny reply was compressed"
stop_server
