#!/bin/bash
# bench_server_memory.sh SOLIDATA [REQUESTS] - the server's peak memory under an adversarial mix:
# `solidata serve --port 0` on the demo's Lazio store (378 municipalities, IRPEF income), then
# REQUESTS (default 2,000) requests with curl, in rounds of: the area and observation layers with
# a random junk query argument, a request with 200 query arguments, a layer with a random value of
# an argument the route reads, and a failed login with a 64 kB name. Prints peak RSS (VmHWM of
# /proc/PID/status) and current RSS against the request count, and the audit entries the logins wrote.
set -euo pipefail
S=$1
N=${2:-2000}
W=$(mktemp -d /var/tmp/solidata-bench-mem.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$W"' EXIT
top=$(cd "$(dirname "$0")/.." && pwd)
D=$top/examples/data
"$S" --db "$W/lazio.db" import areas "$D/lazio_municipalities.geojson" --code-field istat_code \
    --name-field name --level municipality 2>/dev/null
"$S" --db "$W/lazio.db" import data "$D/lazio_irpef_income.csv" --area-field istat_code \
    --period-field year 2>/dev/null
ind=pct_income_0_10k
audit0=$(sqlite3 "$W/lazio.db" "SELECT count(*) FROM audit")
"$S" --db "$W/lazio.db" serve --port 0 --port-file "$W/port" --threads 2 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do [ -s "$W/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$W/port")"
hwm() { awk '/^VmHWM/ {h = $2} /^VmRSS/ {r = $2} END {printf "%12d %12d", h, r}' /proc/$pid/status; }
many=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "%sp%d=%d", (i ? "&" : ""), i, i }')
head -c 65536 /dev/zero | tr '\0' 'n' >"$W/name"
printf '{"name":"%s","password":"not-the-pw-1"}' "$(cat "$W/name")" >"$W/login"
printf '%8s %12s %12s\n' requests peak_rss_kB rss_kB
printf '%8d %s\n' 0 "$(hwm)"
c=0
step=$((N / 10))
while [ $c -lt "$N" ]; do
    r=$RANDOM$RANDOM
    curl -s -o /dev/null "$url/api/areas?level=municipality&junk$r=$r"
    curl -s -o /dev/null "$url/api/observations?indicator=$ind&x=$r"
    curl -s -o /dev/null "$url/api/areas?$many"
    curl -s -o /dev/null "$url/api/areas?level=l$r"
    curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$W/login" "$url/api/login"
    c=$((c + 5))
    if [ $((c % step)) -lt 5 ]; then printf '%8d %s\n' "$c" "$(hwm)"; fi
done
kill $pid; wait $pid 2>/dev/null || true; pid=
echo "audit entries written by $((N / 5)) failed logins: $(( $(sqlite3 "$W/lazio.db" "SELECT count(*) FROM audit") - audit0 ))"
echo "longest logged name: $(sqlite3 "$W/lazio.db" "SELECT coalesce(max(length(json_extract(detail, '$.name'))), 0) FROM audit")"
