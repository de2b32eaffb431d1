# Drafts: with automatic publication off, a CLI experiment (a new source, a composite index, hot
# spots) changes nothing an anonymous visitor gets from the API (byte for byte), while an analyst
# sees the drafts; publishing them through POST /api/publish (analyst, CSRF) makes them public.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0"
expect_exit 0
sed 's/"replications": *[0-9]*/"replications": 20/' "$TOP/examples/bes-wellbeing.json" >"$T/spec.json"
sol index --spec "$T/spec.json" --out "$T/index1.csv"; expect_exit 0
unset SOLIDATA_PUBLISH_AUTO
sol publish auto off; expect_exit 0; expect_err "start as drafts"
sol publish drafts; expect_exit 0; expect_lines 1
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
PUBLIC=("/api/layers" "/api/observations?indicator=04BEC006P" "/api/observations?indicator=helped"
        "/api/map.svg?indicator=04BEC006P" "/api/catalog" "/api/runs" "/api/indicators"
        "/api/forecasts?indicator=helped" "/api/areas/12/profile")
public_snapshot() { # DIR: every public answer into DIR/N
    mkdir -p "$1"; local i=0
    for p in "${PUBLIC[@]}"; do get "$p"; echo "$code" >>"$1/$i"; cat "$T/out" >>"$1/$i"; i=$((i + 1)); done
}
serve
public_snapshot "$T/before"
grep -q '"index":{' "$T/before/0" || fail "the published index is not public"
# the experiment, from the command line, on the same store while it is served
printf 'code,helped\n01,120\n12,345\n15,12\n' >"$T/helped.csv"
sol import data "$T/helped.csv" --area-field code --period 2024 --source helped --licence "CC BY 4.0"
expect_exit 0
sed 's/"replications": *[0-9]*/"replications": 10/' "$T/spec.json" >"$T/spec2.json"
sol index --spec "$T/spec2.json" --out "$T/index2.csv"; expect_exit 0
run_index=$(grep -oE 'run [0-9]+' "$T/err" | head -1 | grep -oE '[0-9]+')
sol spatial lisa --indicator 04BEC006P --period 2023 --islands keep --permutations 99 --seed 1 \
    --inference perm --out "$T/lisa.csv"
expect_exit 0
run_lisa=$(grep -oE 'run [0-9]+' "$T/err" | head -1 | grep -oE '[0-9]+')
[ -n "$run_index" ] && [ -n "$run_lisa" ] || fail "run ids not said"
sol publish drafts; expect_exit 0; expect_lines 4
expect_out '^source,[0-9]+,helped,1,0,CC BY 4.0,'; expect_out "^run,$run_index,index,"; expect_out "^run,$run_lisa,spatial.lisa,"
public_snapshot "$T/after"
for i in $(seq 0 $((${#PUBLIC[@]} - 1))); do
    cmp -s "$T/before/$i" "$T/after/$i" || fail "the public answer of ${PUBLIC[$i]} changed after a CLI experiment"
done
# an analyst sees the drafts
curl -s -o "$T/login.json" -c "$T/ana.jar" -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
CSRF=$(jq -r .csrf "$T/login.json")
A=(-b "$T/ana.jar")
get /api/drafts "${A[@]}"; expect_code 200
jq -e '(.drafts | length) == 3 and .auto_publish == false and
       (.drafts[0] | .kind == "source" and .name == "helped" and .own_records == false)' "$T/out" >/dev/null || fail "drafts: $(cat "$T/out")"
get "/api/observations?indicator=helped" "${A[@]}"; expect_code 200; expect_out '"value":345'
get /api/catalog "${A[@]}"; expect_code 200
jq -e '[.[] | select(.draft)] | length == 1 and .[0].name == "helped"' "$T/out" >/dev/null || fail "analyst catalog: drafts not marked"
get /api/runs "${A[@]}"; expect_code 200
jq -e "[.[] | select(.draft) | .id] | sort == ([$run_index, $run_lisa] | sort)" "$T/out" >/dev/null || fail "analyst runs: drafts not marked"
get /api/drafts; expect_code 401
# publishing: analyst and CSRF token needed
P=(-X POST -H 'Content-Type: application/json')
get /api/publish "${P[@]}" -d '{"kind":"source","name":"helped"}'; expect_code 401
get /api/publish "${A[@]}" "${P[@]}" -d '{"kind":"source","name":"helped"}'; expect_code 403
H=(-H "X-CSRF-Token: $CSRF")
get /api/publish "${A[@]}" "${H[@]}" "${P[@]}" -d '{"kind":"source","name":"nope"}'; expect_code 404
get /api/publish "${A[@]}" "${H[@]}" "${P[@]}" -d '{"kind":"area","name":"helped"}'; expect_code 400
get /api/publish "${A[@]}" "${H[@]}" "${P[@]}" -d '{"kind":"source","name":"helped"}'; expect_code 200
jq -e '.kind == "source" and .name == "helped" and .published == true and .changed == true' "$T/out" >/dev/null || fail "publish reply: $(cat "$T/out")"
get "/api/observations?indicator=helped"; expect_code 200; expect_out '"area":"12","period":"2024","indicator":"helped","value":345'
get /api/catalog; grep -q helped "$T/out" || fail "published source not in the public catalog"
get /api/layers; cmp -s "$T/out" <(tail -n +2 "$T/before/0") || fail "publishing a source changed the layers"
get /api/publish "${A[@]}" "${H[@]}" "${P[@]}" -d "{\"kind\":\"run\",\"id\":$run_index}"; expect_code 200
get /api/layers; expect_code 200
cmp -s "$T/out" <(tail -n +2 "$T/before/0") && fail "the published index run is not the public layer"
jq -e '.hotspots == null and .index != null' "$T/out" >/dev/null || fail "layers after publishing the index"
# withdrawn: the public layer is the previous published index again
get /api/publish "${A[@]}" "${H[@]}" "${P[@]}" -d "{\"kind\":\"run\",\"id\":$run_index,\"publish\":false}"; expect_code 200
get /api/layers; cmp -s "$T/out" <(tail -n +2 "$T/before/0") || fail "unpublishing did not restore the public layer"
stop_server
# every change audited, with who
store_sql "SELECT who, action, detail FROM audit WHERE action LIKE 'publish.%' ORDER BY id" >"$T/audit"
grep -q '^|publish.auto|{"on":false}$' "$T/audit" || fail "audit of publish auto: $(cat "$T/audit")"
grep -q '^ana|publish.source|{"source":"helped","id":[0-9]*,"published":true,"own_records":false}$' "$T/audit" || fail "audit of the source: $(cat "$T/audit")"
[ "$(grep -c "^ana|publish.run|{\"run\":$run_index," "$T/audit")" = 2 ] || fail "audit of the run: $(cat "$T/audit")"
