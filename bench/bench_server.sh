#!/bin/bash
# bench_server.sh SOLIDATA - requests/s and latency of cached API responses over loopback with
# wrk (2 threads, 64 connections, BENCH_SECONDS each), on the demo's 378 Lazio municipalities and
# on BENCH_SYNTH_AREAS (default 8,000) synthetic areas. Each line gives the body size and the ratio
# of its requests/s to /api/health (the smallest reply) measured on the same server in the same run,
# with the CPU time the server and wrk used beside the wall time (a loaded machine shows there).
# The physical bound of a large reply is bytes: its size times requests/s against what loopback
# moves on this machine; a browser that holds the map revalidates it (If-None-Match: 304).
set -euo pipefail
S=$1
secs=${BENCH_SECONDS:-5}
W=$(mktemp -d /var/tmp/solidata-bench-srv.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$W"' EXIT
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps installs it"; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
D=$top/examples/data
# what the benchmark imports is published at once (docs/publish.md): the public reads it
export SOLIDATA_PUBLISH_AUTO=on

"$S" --quiet --db "$W/lazio.db" import areas "$D/lazio_municipalities.geojson" --code-field istat_code \
    --name-field name --level municipality 2>/dev/null
"$S" --quiet --db "$W/lazio.db" import data "$D/lazio_irpef_income.csv" --area-field istat_code \
    --period-field year 2>/dev/null
"$S" --quiet --db "$W/lazio.db" spatial lisa --indicator pct_income_0_10k --period 2021 --islands keep \
    --permutations 99 --seed 1 --out "$W/lisa.csv" 2>/dev/null

A=${BENCH_SYNTH_AREAS:-8000}
awk -v A="$A" 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
  for (a = 0; a < A; a++) { x = (a % 100) * 0.01; y = int(a / 100) * 0.01;
    printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"S%05d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
      (a ? "," : ""), a, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01, x, y }
  print "]}" }' >"$W/synth.geojson"
awk -v A="$A" 'BEGIN { print "area,period,indicator,value"; s = 7;
  for (a = 0; a < A; a++) { s = (s * 1103515245 + 12345) % 2147483648; printf "S%05d,2023,need,%.3f\n", a, s / 21474836.48 } }' >"$W/synth.csv"
"$S" --quiet --db "$W/synth.db" import areas "$W/synth.geojson" --code-field code 2>/dev/null
"$S" --quiet --db "$W/synth.db" import data "$W/synth.csv" --area-field area --period-field period 2>/dev/null

run_case() {
    local db=$1 label=$2; shift 2
    "$S" --quiet --db "$db" serve --port 0 --port-file "$W/port" --threads 2 2>/dev/null &
    pid=$!
    for _ in $(seq 1 100); do [ -s "$W/port" ] && break; sleep 0.05; done
    local url="http://127.0.0.1:$(cat "$W/port")" peer=
    local tck; tck=$(getconf CLK_TCK)
    for path in /api/health "$@"; do
        local size hdr=() tag=""
        # "gz:" before a path: the client accepts gzip (browsers do), as "path [gzip]" below;
        # "inm:": a browser revalidating what it holds (gzip, If-None-Match: the ETag), a 304
        case $path in
        gz:*) path=${path#gz:}; hdr=(-H 'Accept-Encoding: gzip') ;;
        inm:*) path=${path#inm:}; tag=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$url$path" |
                   tr -d '\r' | sed -n 's/^ETag: //Ip')
               hdr=(-H 'Accept-Encoding: gzip' -H "If-None-Match: $tag") ;;
        esac
        size=$(curl -s "${hdr[@]}" -o /dev/null -w '%{size_download}' "$url$path")   # warms the cache too
        # CPU time of the server (from /proc) and of wrk during the run, beside the wall time
        local c0 c1 wcpu
        c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        wcpu=$( { TIMEFORMAT='%U %S'; time wrk -t2 -c64 -d"${secs}s" --latency "${hdr[@]}" "$url$path" >"$W/wrk.txt"; } 2>&1 )
        c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        [ ${#hdr[@]} = 0 ] || { [ -n "$tag" ] && path="$path [304]" || path="$path [gzip]"; }
        local rps
        rps=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
        [ -n "$peer" ] || peer=$rps
        awk -v l="$label" -v p="$path" -v sz="$size" -v peer="$peer" -v scpu="$(( c1 - c0 ))" -v tck="$tck" \
            -v wcpu="$wcpu" -v secs="$secs" '
          /Requests\/sec/ {rps=$2} / 99%/ {p99=$2} / 50%/ {p50=$2}
          END {split(wcpu, w, " "); s = scpu / tck
               printf "%-10s %-52s %9d B %8.0f req/s (%4.2f x health)  p50 %-8s p99 %-8s wall %ss, cpu server %.2fs (%.0f us/req) wrk %.2fs\n",
                 l, p, sz, rps, rps / peer, p50, p99, secs, s, (rps > 0 ? 1e6 * s / (rps * secs) : 0), w[1] + w[2]}' "$W/wrk.txt"
    done
    kill $pid; wait $pid 2>/dev/null || true; pid=; rm -f "$W/port"
}
echo "cached responses, 2 server threads, wrk -t2 -c64 (client and server share the 2 cores)"
run_case "$W/lazio.db" "lazio-378" "/api/map.svg?indicator=pct_income_0_10k&period=2021" "/api/observations?indicator=pct_income_0_10k&period=2021" "/api/indicators" "/api/layers" "/api/map.svg?indicator=pct_income_0_10k&period=2021&lang=fr" "gz:/api/map.svg?indicator=pct_income_0_10k&period=2021" "gz:/api/observations?indicator=pct_income_0_10k&period=2021"
run_case "$W/synth.db" "synth-$A" "/api/map.svg?indicator=need&period=2023" "/api/observations?indicator=need&period=2023" "gz:/api/map.svg?indicator=need&period=2023" "gz:/api/observations?indicator=need&period=2023" \
    "inm:/api/map.svg?indicator=need&period=2023" "gz:/api/map/topo?z=0" "gz:/api/map/values?indicator=need&period=2023" "inm:/api/map/topo?z=0"
