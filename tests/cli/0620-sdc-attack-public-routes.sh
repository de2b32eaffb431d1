# An anonymous visitor attacks the public dashboard to recover withheld small counts: a store
# with small counts (users in c12 and c21 every year), a rate linked to them and other values;
# an analyst runs an index, LISA, Gi*, a forecast and alerts; the visitor fetches every public
# route and tries (a) to find a withheld value or a digest of the values, (b) to invert the
# published index scores (min-max, z) over the withheld areas, (c) to guess the withheld values
# against a digest published in a method card. Every attempt must give nothing.
grid_geojson "$T/g.geojson" 4
awk 'BEGIN { print "code,year,users,pop,share,inc"
    for (y = 2016; y <= 2023; y++) { n = 0
        for (r = 0; r < 4; r++) for (c = 0; c < 4; c++) { n++
            pop = 400 + (n * 53) % 200 + (y - 2016) * 3
            u = 20 + (n * 29) % 40 + r * 5 + (n == 4 ? 6 * (y - 2016) : 0)
            if (r == 1 && c == 2) u = 3 + (y % 3)          # c12: withheld every year
            if (r == 2 && c == 1) u = 1 + (y - 2016)         # c21: withheld, rising
            printf "c%d%d,%d,%d,%d,%.17g,%d\n", r, c, y, u, pop, u / pop, 18000 + (n * 977) % 9000 + 100 * (y - 2016) } } }' >"$T/v.csv"
cat >"$T/meta.csv" <<'CSV'
code,label,unit,polarity,dimension,numerator,denominator
users,Service users,persons,lower_better,need,,
pop,Residents,persons,,,,
share,Share of residents using the service,ratio,lower_better,need,users,pop
inc,Mean income,EUR,higher_better,income,,
CSV
sol import areas "$T/g.geojson" --code-field code --level cell; expect_exit 0
sol import data "$T/v.csv" --area-field code --period-field year --count-indicators users,pop \
    --indicator-meta "$T/meta.csv"
expect_exit 0
# what is withheld: users and share of c12 and c21, every year
sol export data --indicator users; expect_exit 0
[ "$(awk -F, '$6 == "suppressed"' "$T/out" | cut -d, -f1 | sort -u | tr '\n' ' ')" = "c12 c21 " ] ||
    fail "the test needs c12 and c21 withheld"

# the analyst's work
sol index --indicators users,share,inc --method minmax-mean --period 2023; expect_exit 0
sol index --indicators users,share,inc --method zscore-mean --period 2023; expect_exit 0
zrun=$(store_sql "SELECT max(id) FROM run")
sol spatial gistar --indicator users --period 2023 --islands keep --permutations 99 --seed 7; expect_exit 0
sol spatial lisa --indicator share --period 2023 --islands keep --permutations 99 --seed 7; expect_exit 0
sol forecast --indicator users --horizon 2; expect_exit 0
sol forecast --indicator share --horizon 2; expect_exit 0
sol alerts --since 2016; expect_exit 0
store_sql "SELECT result FROM run WHERE kind = 'alerts'" | jq -e '[.alerts[] | select(.area == "c21" and .indicator == "users")] | length > 0' \
    >/dev/null || fail "the test needs an alert on a withheld series"

# the visitor: every public route, anonymous
serve
mkdir "$T/pub"
n=0
fetch() { n=$((n + 1)); get "$1"; cp "$T/out" "$T/pub/$n"; echo "$code $1" >>"$T/pub/index"; }
for p in /api/health /api/areas /api/indicators /api/catalog /api/runs /api/layers /api/alerts \
    /api/me; do fetch $p; done
for i in users pop share inc; do
    fetch "/api/map.svg?indicator=$i"
    fetch "/api/forecasts?indicator=$i"
    fetch "/api/export/observations.csv?indicator=$i"
    for y in 2016 2017 2018 2019 2020 2021 2022 2023; do fetch "/api/observations?indicator=$i&period=$y"; done
done
for r in 0 1 2 3; do for c in 0 1 2 3; do fetch "/api/areas/c$r$c/profile"; done; done
for id in $(store_sql "SELECT id FROM run"); do fetch "/api/runs/$id"; done
stop_server
grep -q '^200 /api/layers' "$T/pub/index" && grep -q '^200 /api/runs$' "$T/pub/index" || fail "public routes failed"
grep -q '^200 /api/runs/' "$T/pub/index" && fail "a run's result reached an anonymous visitor"

# (a) no withheld value, and no digest of the values, anywhere
for y in 2016 2017 2018 2019 2020 2021 2022 2023; do
    for a in c12 c21; do
        s=$(awk -F, -v a=$a -v y=$y '$1 == a && $2 == y { print substr($5, 1, 10) }' "$T/v.csv")
        grep -rlF -- "$s" "$T/pub" | grep -v index && fail "the withheld share of $a in $y ($s) is published"
    done
done
for f in "$T"/pub/[0-9]*; do
    jq -e . "$f" >/dev/null 2>&1 || continue
    jq -e '[.. | objects | select((.area? == "c12" or .area? == "c21" or .id? == "c12" or .id? == "c21")
            and (.indicator? == "users" or .indicator? == "share" or .indicator? == null)
            and ((.value? | type) == "number"))] | length == 0' "$f" >/dev/null ||
        fail "a withheld value in $(sed -n "$(basename "$f")p" "$T/pub/index")"
done
jq -e '.indicators[] | select(.indicator == "users" or .indicator == "share") | .series[] | .[1] == null' \
    "$T/pub/$(grep -n ' /api/areas/c12/profile' "$T/pub/index" | cut -d: -f1)" >/dev/null || fail "c12's series published"
for f in $(grep -n 'forecasts?indicator=\(users\|share\)' "$T/pub/index" | cut -d: -f1); do
    jq -e '(.areas | has("c12") or has("c21")) | not' "$T/pub/$f" >/dev/null || fail "a withheld area's forecast is public"
done
jq -e '[.alerts[] | select((.area == "c12" or .area == "c21") and (.indicator == "users" or .indicator == "share"))] | length == 0' \
    "$T/pub/$(grep -n ' /api/alerts$' "$T/pub/index" | cut -d: -f1)" >/dev/null || fail "an alert on a withheld series is public"
digests=$( (store_sql "SELECT inputs_sha256 FROM run WHERE inputs_sha256 IS NOT NULL"
    store_sql "SELECT method_card FROM run" | jq -r '.. | objects | to_entries[] | select(.key | test("(values|inputs?)_sha256")) | .value') |
    grep -E '^[0-9a-f]{64}$' | sort -u)
[ -n "$digests" ] || fail "the test expected digests of the values in the analyst's cards"
for d in $digests; do grep -rlF "$d" "$T/pub" && fail "a digest of the values ($d) is public"; done
# nor the digest of the file that holds them (the catalog's)
d=$(sha256sum "$T/v.csv" | cut -d' ' -f1)
grep -rlF "$d" "$T/pub" && fail "the digest of the data file ($d) is public"
grep -q '"sha256":"withheld"' "$T/pub/$(grep -n ' /api/catalog$' "$T/pub/index" | cut -d: -f1)" ||
    fail "the catalog does not say the file's digest is withheld"

# (c) hash guessing: no digest of the inputs in any public method card
runs="$T/pub/$(grep -n ' /api/runs$' "$T/pub/index" | cut -d: -f1)"
[ "$(jq 'length' "$runs")" -ge 7 ] || fail "the public list of runs is short"
jq -e '[.. | objects | keys[] | select(test("sha256"))] | length == 0' "$runs" >/dev/null ||
    fail "a public method card holds a digest: $(jq -c '[.. | objects | keys[] | select(test("sha256"))]' "$runs")"

# (b) inverting the index: what is published equals the index of the public values alone, so
# two published areas solve for nothing withheld
layers="$T/pub/$(grep -n ' /api/layers$' "$T/pub/index" | cut -d: -f1)"
jq -e '.index.areas["2023"] | (has("c12") or has("c21")) | not' "$layers" >/dev/null || fail "a withheld area's score is public"
for i in users share inc; do
    jq -r '.values[] | [.area, (.value // "")] | @csv' \
        "$T/pub/$(grep -n " /api/observations?indicator=$i&period=2023" "$T/pub/index" | cut -d: -f1)" |
        tr -d '"' | sort >"$T/$i.col"
done
join -t, "$T/users.col" "$T/share.col" | join -t, - "$T/inc.col" |
    awk -F, 'BEGIN { print "code,users,share,inc" } $2 != "" && $3 != "" && $4 != ""' >"$T/public.csv"
[ "$(wc -l <"$T/public.csv")" = 15 ] || fail "expected 14 public areas: $(cat "$T/public.csv")"
"$SOLIDATA" index --data "$T/public.csv" --id-field code --indicators users:-@need,share:-@need,inc@income \
    --method zscore-mean --out "$T/file.csv" 2>"$T/err" || fail "file-mode index failed"
jq -r '.index.areas["2023"] | to_entries[] | [.key, .value.score, (.value.dims | map(.score) | join(","))] | @csv' \
    "$layers" | tr -d '"' | sed '1i id,score,need,income' >"$T/got.csv"
[ "$(jq -r '.index.run' "$layers")" = "$zrun" ] || fail "the layer is not the latest index run"
m=$(close_cols "$T/got.csv" 2 "$T/file.csv" 2 1e-9) || fail "published scores are not the index of the public values: $m"
[ "$m" = 14 ] || fail "compared $m scores"
m=$(close_cols "$T/got.csv" 3 "$T/file.csv" 4 1e-9) || fail "published dimension scores differ: $m"
jq -e '.index.withheld_areas == ["c12", "c21"] and (.index.note | test("public"))' "$layers" >/dev/null ||
    fail "the index layer does not say what it left out"
# the hot spots of the linked rate are those of its public values too
jq -e '(.hotspots.areas | has("c12") or has("c21")) | not' "$layers" >/dev/null || fail "a withheld area's cluster is public"
# the card says what the public sees
jq -e '.[] | select(.kind == "index") | .method_card.privacy.public | test("case deletion")' "$runs" >/dev/null ||
    fail "the index card does not say what the public sees"
true
