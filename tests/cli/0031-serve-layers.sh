# GET /api/layers: the latest index and LISA runs per area, public, agreeing with the runs' own
# outputs (index --out, spatial lisa --out); null layers when there is no such run.
. "$TOP/tests/cli/analyses_lib.sh"
with_regions
serve
get /api/layers; expect_code 200; expect_out '^\{"index":null,"hotspots":null\}$'
stop_server
rm -f "$T/port"
with_analyses
serve
get /api/layers; expect_code 200 # anonymous: the layers are public, like the map
cp "$T/out" "$T/layers.json"
# index scores, ranks and rank intervals of 2023 as the index command wrote them
jq -r '.index.areas["2023"] | to_entries[] | [.key, .value.score, .value.rank, .value.rank_lo, .value.rank_hi] | @csv' \
    "$T/layers.json" | tr -d '"' | sed '1i id,score,rank,rank_lo,rank_hi' >"$T/got_index.csv"
awk -F, 'NR == 1 { print "id,score,rank,rank_lo,rank_hi"; for (k = 1; k <= NF; k++) c[$k] = k; next }
         $c["period"] == "2023" { print $1 "," $c["score"] "," $c["rank"] "," $c["rank_lo"] "," $c["rank_hi"] }' \
    "$T/index.csv" >"$T/want_index.csv"
[ "$(close_cols "$T/got_index.csv" 2 "$T/want_index.csv" 2 1e-12)" = 20 ] || fail "index scores differ"
[ "$(close_cols "$T/got_index.csv" 3 "$T/want_index.csv" 3 1e-12)" = 20 ] || fail "index ranks differ"
[ "$(close_cols "$T/got_index.csv" 4 "$T/want_index.csv" 4 1e-12)" = 20 ] || fail "rank intervals differ"
jq -e '.index.level == "region" and (.index.periods | join(",")) == "2019,2023" and
       (.index.dimensions | length) == 7 and (.index.indicators | length) == 10' "$T/layers.json" >/dev/null ||
    fail "index layer metadata"
# z of each dimension: (score - mean) / sample sd over the 20 regions, recomputed here with awk
dim=$(jq -r '.index.dimensions[0]' "$T/layers.json")
jq -r --arg d "$dim" '.index.areas["2023"] | to_entries[] | [.key, (.value.dims[] | select(.name == $d) | .z)] | @csv' \
    "$T/layers.json" | tr -d '"' | sed '1i id,z' >"$T/got_z.csv"
awk -F, -v d="$dim" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == d) c = k; next }
    $2 == "2023" { id[++n] = $1; x[n] = $c; s += $c }
    END { m = s / n; for (i = 1; i <= n; i++) v += (x[i] - m) ^ 2; sd = sqrt(v / (n - 1));
          print "id,z"; for (i = 1; i <= n; i++) printf "%s,%.17g\n", id[i], (x[i] - m) / sd }' "$T/index.csv" >"$T/want_z.csv"
[ "$(close_cols "$T/got_z.csv" 2 "$T/want_z.csv" 2 1e-9)" = 20 ] || fail "dimension z differ"
# hot spots: one entry per municipality, the cluster the lisa command wrote, its permutation p
# (none for the two islands, Ponza and Ventotene, which have no neighbours)
jq -r '.hotspots.areas | to_entries[] | [.key, .value.cluster] | @csv' "$T/layers.json" | tr -d '"' | sort >"$T/got_cl"
awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next } { print $1 "," $c["cluster"] }' "$T/lisa.csv" | sort >"$T/want_cl"
cmp -s "$T/got_cl" "$T/want_cl" || fail "clusters differ: $(diff "$T/got_cl" "$T/want_cl" | head -3)"
jq -e '.hotspots.inference == "permutation" and .hotspots.permutations == 499 and .hotspots.level == "municipality"
       and .hotspots.indicator == "pct_income_0_10k" and .hotspots.period == "2021"
       and (.hotspots.areas | length) == 378
       and ([.hotspots.areas[] | select(.p != null and .p > 0 and .p <= 1)] | length) == 376' "$T/layers.json" >/dev/null ||
    fail "hot-spot layer metadata"
# the indicator's values are not repeated in the layer: they come from /api/observations only
jq -e '[.hotspots.areas[] | has("value")] | any | not' "$T/layers.json" >/dev/null || fail "values in the hot-spot layer"
# a run of another shape is passed over, not an error
store_sql "INSERT INTO run (kind, spec, method_card, result, created_at) VALUES ('index', '{}', '{}', '{\"scores\":[1]}', '2030-01-01T00:00:00Z')"
get /api/layers; expect_code 200; jq -e '.index.areas["2023"]["12"].score > 0' "$T/out" >/dev/null || fail "a malformed run hid the index"
stop_server
