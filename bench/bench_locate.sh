#!/bin/bash
# bench_locate.sh SOLIDATA - maximal covering and p-median with N demand points (default 10,000;
# BENCH_LOCATE_DEMAND) and M candidate sites (default 500; BENCH_LOCATE_SITES) generated
# deterministically (awk, fixed seed) over a Lazio-sized box (lon 11.5-14, lat 40.8-42.8; half
# the demand in 12 clustered towns). Times `solidata locate` and GLPK's glpsol on the same model
# written as MathProg, with the same pairs (great-circle distances within the radius, computed by
# the same haversine) and the same time limit (BENCH_LOCATE_TMLIM, default 300 s), in the same
# run; prints each one's time, status and objective, and the ratio glpsol / solidata.
#   MCLP:     p = 50 sites, radius 10 km
#   p-median: p = 100 sites, assignments within 20 km (a complete 10,000 x 500 assignment model
#             has 5 million variables, beyond what GLPK handles in minutes: both tools get the same
#             restricted model, about 110,000 pairs; 100 sites are enough to reach every point)
set -euo pipefail
S=$1
N=${BENCH_LOCATE_DEMAND:-10000}
M=${BENCH_LOCATE_SITES:-500}
TL=${BENCH_LOCATE_TMLIM:-300}
P=${BENCH_LOCATE_P:-50}
PM=${BENCH_LOCATE_P_MEDIAN:-100}
if [ -n "${BENCH_DIR:-}" ]; then W=$BENCH_DIR; mkdir -p "$W"; else
    W=$(mktemp -d /var/tmp/solidata-bench.XXXXXX); trap 'rm -rf "$W"' EXIT; fi
command -v glpsol >/dev/null || { echo "glpsol not found: install glpk-utils (scripts/install-deps)"; exit 1; }
echo "generating $N demand points and $M sites in $W ..." >&2
awk -v N="$N" -v M="$M" -v dir="$W" 'function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
BEGIN {
    seed = 20261206
    for (t = 0; t < 12; t++) { tx[t] = 11.6 + 2.3 * rnd(); ty[t] = 40.9 + 1.8 * rnd() }
    f = dir "/demand.csv"; print "area,weight,lon,lat" > f
    for (i = 1; i <= N; i++) {
        if (rnd() < 0.5) { t = int(12 * rnd()); x = tx[t] + 0.15 * (rnd() - 0.5); y = ty[t] + 0.12 * (rnd() - 0.5) }
        else { x = 11.5 + 2.5 * rnd(); y = 40.8 + 2.0 * rnd() }
        printf "d%d,%d,%.6f,%.6f\n", i, 1 + int(999 * rnd()), x, y > f
    }
    f = dir "/sites.csv"; print "id,lon,lat" > f
    for (j = 1; j <= M; j++) printf "s%d,%.6f,%.6f\n", j, 11.5 + 2.5 * rnd(), 40.8 + 2.0 * rnd() > f
}'
# the pairs within R km, by the haversine of sol_locate_haversine_km, as MathProg data
mkdat() { # R MODEL OUT
    awk -F, -v R="$1" -v model="$2" -v P="$P" 'function hav(l1, p1, l2, p2,   r, a, dp, dl) {
        r = 3.14159265358979323846 / 180; dp = (p2 - p1) * r; dl = (l2 - l1) * r
        a = sin(dp / 2) ^ 2 + cos(p1 * r) * cos(p2 * r) * sin(dl / 2) ^ 2; if (a > 1) a = 1
        return 2 * 6371.0088 * atan2(sqrt(a), sqrt(1 - a)) }
    FNR == 1 { next }
    FNR == NR { m++; sid[m] = $1; sx[m] = $2; sy[m] = $3; next }
    { n++; id[n] = $1; w[n] = $2; x[n] = $3; y[n] = $4 }
    END {
        printf "data;\nparam p := %d;\nset I :=", P; for (i = 1; i <= n; i++) printf " %s", id[i]; print ";"
        printf "set J :="; for (j = 1; j <= m; j++) printf " %s", sid[j]; print ";"
        printf "param w :="; for (i = 1; i <= n; i++) printf " %s %s", id[i], w[i]; print ";"
        for (i = 1; i <= n; i++) {
            line = ""; dl = ""
            for (j = 1; j <= m; j++) { d = hav(x[i], y[i], sx[j], sy[j]); if (d <= R) { line = line " " sid[j]; dl = dl sprintf(" [%s,%s] %.17g", id[i], sid[j], d) } }
            printf "set N[%s] :=%s;\n", id[i], line
            if (model == "pmedian") D = D dl "\n"
        }
        if (model == "pmedian") printf "param d :=\n%s;\n", D
        print "end;"
    }' "$W/sites.csv" "$W/demand.csv" >"$3"
}
cat >"$W/mclp.mod" <<'MOD'
set I; set J; param w{I} >= 0; param p integer; set N{I} within J;
var x{J} binary; var y{I} >= 0, <= 1;
maximize covered: sum{i in I} w[i] * y[i];
s.t. cover{i in I}: y[i] <= sum{j in N[i]} x[j];
s.t. sites: sum{j in J} x[j] = p;
MOD
cat >"$W/pmedian.mod" <<'MOD'
set I; set J; param w{I} >= 0; param p integer; set N{I} within J; param d{i in I, j in N[i]} >= 0;
var x{J} binary; var z{i in I, j in N[i]} >= 0, <= 1;
minimize distance: sum{i in I, j in N[i]} w[i] * d[i, j] * z[i, j];
s.t. assign{i in I}: sum{j in N[i]} z[i, j] = 1;
s.t. open{i in I, j in N[i]}: z[i, j] <= x[j];
s.t. sites: sum{j in J} x[j] = p;
MOD
now() { date +%s.%N; }
bench() { # MODEL RADIUS P
    local model=$1 R=$2 t0 t1 ours glp
    P=$3
    mkdat "$R" "$model" "$W/$model.dat"
    t0=$(now)
    if [ "$model" = mclp ]; then
        "$S" --quiet locate mclp --demand "$W/demand.csv" --sites "$W/sites.csv" --max-distance "$R" \
            --p "$P" --time-limit "$TL" --json >"$W/ours.json"
    else
        "$S" --quiet locate pmedian --demand "$W/demand.csv" --sites "$W/sites.csv" \
            --max-distance "$R" --p "$P" --time-limit "$TL" --json >"$W/ours.json"
    fi
    t1=$(now)
    ours=$(echo "$t1 - $t0" | bc)
    t0=$(now)
    glpsol --math "$W/$model.mod" --data "$W/$model.dat" --tmlim "$TL" -o "$W/glp.txt" >"$W/glp.log" 2>&1 || true
    t1=$(now)
    glp=$(echo "$t1 - $t0" | bc)
    local gstat gobj
    gstat=$(awk '/^Status:/ { $1 = ""; print; exit }' "$W/glp.txt" 2>/dev/null || echo "?")
    gobj=$(awk '/^Objective:/ { print $4; exit }' "$W/glp.txt" 2>/dev/null || echo "?")
    printf '%s (%s demand points, %s sites, p = %s, %s km):\n' "$model" "$N" "$M" "$P" "$R"
    printf '  solidata: %8.2f s  status %s  objective %s  LP bound %s\n' "$ours" \
        "$(jq -r .status "$W/ours.json")" "$(jq -r .objective "$W/ours.json")" \
        "$(jq -r .lp_bound "$W/ours.json")"
    printf '  glpsol:   %8.2f s  status%s  objective %s\n' "$glp" "$gstat" "$gobj"
    printf '  ratio glpsol / solidata: %.2f\n' "$(echo "$glp / $ours" | bc -l)"
}
bench mclp 10 "$P"
bench pmedian 20 "$PM"
