# The map of many areas over the API: /api/map/topo (shared arcs simplified per zoom) and
# /api/map/values (the values alone, in the topology's area order), gzip and ETags, 304, the cache
# invalidated by a change of the store, and bad requests answered with what to send.
D=$DATA
sol import areas "$D/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --level municipality
expect_exit 0
sol import data "$D/lazio_irpef_income.csv" --area-field istat_code --period-field year
expect_exit 0
serve
get "/api/map/topo?level=municipality&z=0"; expect_code 200; cp "$T/out" "$T/z0.json"
get "/api/map/topo?level=municipality&z=5"; expect_code 200; cp "$T/out" "$T/z4.json"
get "/api/map/values?indicator=pct_income_0_10k&period=2021&level=municipality"; expect_code 200
cp "$T/out" "$T/values.json"
get "/api/observations?indicator=pct_income_0_10k&period=2021"; expect_code 200
cp "$T/out" "$T/obs.json"
python3 - "$T" <<'PY' || fail "the topology or the values reply is not what it should be"
import json, sys
T = sys.argv[1]
z0, z4 = (json.load(open(f"{T}/z{z}.json")) for z in (0, 4))
v, obs = json.load(open(f"{T}/values.json")), json.load(open(f"{T}/obs.json"))
assert z0["format"] == "solidata-topo-1" and z0["zoom"] == 0, z0["format"]
assert len(z0["areas"]) == 378 and z0["areas"] == sorted(z0["areas"]) == z4["areas"]
assert z0["names"][z0["areas"].index("058091")] == "Roma"
assert all(len(s) > 0 for s in z0["shapes"]), "an area without a shape"
n0, n4 = (len(z["arcs"]) // 2 for z in (z0, z4))
assert n0 < n4 and n0 == sum(z0["arc_sizes"]) and len(z0["arc_sizes"]) == len(z4["arc_sizes"]), (n0, n4)
# every arc is used by one ring, or by two (a shared border, once each way)
use = {}
for s in z0["shapes"]:
    for poly in s:
        for ring in poly:
            for r in ring:
                use.setdefault(~r if r < 0 else r, []).append(r < 0)
assert max(len(u) for u in use.values()) == 2 and any(len(u) == 2 for u in use.values())
assert all(sorted(u) == [False, True] for u in use.values() if len(u) == 2)
# the values: one per area in the topology's order, equal to the observations
assert v["n"] == 378 and len(v["values"]) == 378 and len(v["classes"]) == 378
assert len(v["colours"]) == len(v["breaks"]) - 1
by = {o["area"]: o["value"] for o in obs["values"]}
for code, val, c in zip(z0["areas"], v["values"], v["classes"]):
    if code in by and by[code] is not None:
        assert abs(val - by[code]) <= 1e-9 * abs(by[code]) and c.isdigit(), (code, val, by[code])
    else:
        assert val is None and c in "-s", (code, val, c)
PY
# gzip, ETag, 304 for a browser that holds the reply
curl -s -D "$T/h" -o /dev/null -H 'Accept-Encoding: gzip' "$URL/api/map/topo?level=municipality&z=0"
grep -qi '^Content-Encoding: gzip' "$T/h" || fail "the topology is not sent gzip-compressed"
tag=$(tr -d '\r' <"$T/h" | sed -n 's/^ETag: //Ip')
[ -n "$tag" ] || fail "no ETag"
get "/api/map/topo?level=municipality&z=0" -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag"
expect_code 304
# a change of the store: the old ETag no longer matches
printf 'istat_code,year,services_open\n058091,2021,12\n' >"$T/more.csv"
sol import data "$T/more.csv" --area-field istat_code --period-field year
expect_exit 0
get "/api/map/topo?level=municipality&z=0" -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag"
expect_code 200
# bad requests say what to send
get "/api/map/topo?level=municipality&z=9"; expect_code 400; expect_out 'expected a zoom level from 0 to 5'
get "/api/map/topo?level=municipality&z=x"; expect_code 400
get "/api/map/topo?level=nope"; expect_code 404; expect_out "no areas of level 'nope'"
get "/api/map/values?level=municipality"; expect_code 400; expect_out 'give \?indicator=CODE'
get "/api/map/values?indicator=NOPE"; expect_code 404
get "/api/map/values?indicator=pct_income_0_10k&k=1"; expect_code 400; expect_out 'expected 2 to 9 classes'
