# The dashboard's words in each language: /i18n/LANG.json holds every text of web/messages.json,
# translated from the embedded catalogue (msgctxt "web:KEY", the English when a text has no
# translation), as a public, read-only JSON object with the security headers of every asset; an
# unknown language is a 404. The page itself loads it (web/i18n.js).
serve
keys=$(jq -r 'keys[]' "$TOP/web/messages.json" | LC_ALL=C sort)
for l in en fr it; do
    code=$(curl -s -D "$T/h" -o "$T/out" -w '%{http_code}' "$URL/i18n/$l.json")
    expect_code 200
    grep -qi '^content-type: application/json; charset=utf-8' "$T/h" || fail "$l: content type"
    grep -qi "^content-security-policy: default-src 'self'" "$T/h" || fail "$l: no CSP"
    grep -qi '^x-content-type-options: nosniff' "$T/h" || fail "$l: no nosniff"
    grep -qi '^x-frame-options: DENY' "$T/h" || fail "$l: no X-Frame-Options"
    [ "$(jq -r 'keys[]' "$T/out" | LC_ALL=C sort)" = "$keys" ] || fail "$l: not the keys of web/messages.json"
    [ "$(jq -r '[.[] | strings] | length' "$T/out")" = "$(jq length "$TOP/web/messages.json")" ] || fail "$l: a text is not a string"
done
get /i18n/en.json
cmp -s <(jq -S . "$T/out") <(jq -S . "$TOP/web/messages.json") || fail "en is not web/messages.json"
# the translations, once the catalogues hold the dashboard's texts
if grep -q '^msgctxt "web:tabMap"' "$TOP/po/fr.po"; then
    get /i18n/fr.json; expect_out '"tabMap":"Carte"'; expect_out '"rankNeed":"rang \{rank\} sur \{n\}'
fi
if grep -q '^msgctxt "web:tabMap"' "$TOP/po/it.po"; then
    get /i18n/it.json; expect_out '"tabMap":"Mappa"'
fi
# a long explanation is translated too (longer than a fixed lookup buffer)
if grep -q '^msgctxt "web:alertsMeans"' "$TOP/po/fr.po"; then
    get /i18n/fr.json; expect_out '"alertsMeans":"Chaque série'
fi
get /i18n/de.json; expect_code 404
get /i18n/fr.jsonx; expect_code 404
get /i18n/; expect_code 404
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$URL/i18n/fr.json")
[ "$code" = 404 ] || [ "$code" = 405 ] || fail "POST answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -I "$URL/i18n/it.json"); expect_code 200
# the English templates are an asset too
get /messages.json; expect_code 200; expect_out '"tabMap": *"Map"'
stop_server
