# The server answers in the asker's language: ?lang= first, then Accept-Language (its first
# supported language; q=0 refuses one), then the server's own; a cached reply in one language is
# never served to another.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol spatial lisa --indicator "$(store_sql 'select code from indicator order by code limit 1')" --islands keep --out "$T/lisa.csv"
expect_exit 0
serve
get "/api/nope"; expect_code 404; grep -q "no such API route" "$T/out" || fail "English by default: $(cat "$T/out")"
get "/api/nope" -H "Accept-Language: fr-FR,fr;q=0.9,en;q=0.8"; expect_code 404
grep -q "no such API route" "$T/out" && fail "Accept-Language fr ignored: $(cat "$T/out")"
get "/api/nope?lang=it" -H "Accept-Language: fr"; expect_code 404
fr=$(cat "$T/out")
get "/api/nope" -H "Accept-Language: de-DE, it;q=0.5"; expect_code 404
[ "$(cat "$T/out")" = "$fr" ] || fail "?lang=it and Accept-Language 'de, it' differ: $fr / $(cat "$T/out")"
get "/api/nope" -H "Accept-Language: fr;q=0, it"; expect_code 404
[ "$(cat "$T/out")" = "$fr" ] || fail "q=0 should refuse French: $(cat "$T/out")"
get "/nope" -H "Accept-Language: fr"; expect_code 404
grep -q "tableau de bord" "$T/out" || fail "the page error in French: $(cat "$T/out")"
# a cacheable map: French words, then English ones, each from its own cache entry
ind=$(jq -r '.[0].code' <(curl -s "$URL/api/indicators"))
get "/api/map.svg?indicator=$ind" -H "Accept-Language: fr"; expect_code 200; cp "$T/out" "$T/fr.svg"
get "/api/map.svg?indicator=$ind" -H "Accept-Language: en"; expect_code 200; cp "$T/out" "$T/en.svg"
get "/api/map.svg?indicator=$ind" -H "Accept-Language: fr"; expect_code 200
cmp -s "$T/out" "$T/fr.svg" || fail "the French map changed from the cache"
cmp -s "$T/fr.svg" "$T/en.svg" && fail "the map's words do not follow the language"
# method cards: stored in English, given in the asker's language beside the stored one
get "/api/runs" -H "Accept-Language: fr"; expect_code 200
jq -e '.[0].method_card.method.name == "Local Moran'"'"'s I (LISA)"' "$T/out" >/dev/null || fail "the stored card changed"
jq -e '.[0].method_card_text | tostring | contains("I de Moran local (LISA)")' "$T/out" >/dev/null ||
    fail "the card is not in French: $(jq -c '.[0].method_card_text' "$T/out" | head -c 600)"
stop_server
