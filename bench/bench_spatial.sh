#!/bin/bash
# bench_spatial.sh SOLIDATA - spatial weights and LISA on a Voronoi tessellation of random points
# (made once with GEOS through R sf, bench/make-voronoi.R), against R spdep in the same run:
#  1. in memory (bench/bench_lisa.c): queen contiguity; LISA with NSIM permutations on CORES cores;
#  2. the whole command: solidata spatial lisa (read GeoJSON + CSV, queen, LISA, write CSV);
#  3. the same whole job in spdep (bench/spdep_lisa.R: st_read, poly2nb, nb2listw, localmoran,
#     localmoran_perm nsim=NSIM on CORES cores), on SPDEP_N cells, and solidata on that same file.
# Sizes: BENCH_SPATIAL_N (100000) BENCH_SPATIAL_NSIM (999) BENCH_SPATIAL_CORES (2)
#        BENCH_SPDEP_N (20000; 100000 takes spdep about 10 minutes here) BENCH_SPDEP_NSIM (NSIM).
# libpysal + numpy is not measured: no PyPI access on this machine.
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
N=${BENCH_SPATIAL_N:-100000}; NSIM=${BENCH_SPATIAL_NSIM:-999}; CORES=${BENCH_SPATIAL_CORES:-2}
RN=${BENCH_SPDEP_N:-20000}; RNSIM=${BENCH_SPDEP_NSIM:-$NSIM}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
command -v Rscript >/dev/null || { echo "bench_spatial: Rscript not found (r-cran-sf, r-cran-spdep)"; exit 1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

for n in $(printf '%s\n' "$N" "$RN" | sort -un); do
    echo "generating $n Voronoi cells (GEOS via R sf) in $W ..." >&2
    Rscript "$here/make-voronoi.R" "$n" "$W/v$n.geojson" "$W/v$n.csv" 2>/dev/null
done
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp -I"$top/include" -o "$W/bench_lisa" \
    "$here/bench_lisa.c" "$(dirname "$S")/libsolidata.a" \
    $(pkg-config --libs sqlite3 gdal jansson libsodium gsl) -lm

export OMP_NUM_THREADS=$CORES
echo "-- in memory, $N cells, $CORES threads"
"$W/bench_lisa" "$W/v$N.geojson" id "$NSIM" | tee "$W/mem.txt"
awk '/^queen/ {printf "queen contiguity: %.3f s (target < 0.5 s)\n", $2}
     /^lisa/ {printf "LISA, '"$NSIM"' permutations: %.3f s (target < 2 s)\n", $2}' "$W/mem.txt"

whole() { # N NSIM: seconds of the whole solidata command
    local t0 t1
    t0=$(date +%s.%N)
    "$S" --quiet spatial lisa --geo "$W/v$1.geojson" --id-field id --data "$W/v$1.csv" --var value \
        --islands keep --permutations "$2" --out "$W/lisa$1.csv" 2>/dev/null
    t1=$(date +%s.%N)
    [ "$(wc -l <"$W/lisa$1.csv")" = $(($1 + 1)) ] || { echo "solidata lisa: wrong row count" >&2; exit 1; }
    secs "$t0" "$t1"
}
echo "-- whole command (read, queen, LISA $NSIM permutations, write), $N cells"
ts=$(whole "$N" "$NSIM")
echo "solidata spatial lisa: $ts s"

echo "-- the same job in R spdep $(Rscript -e 'cat(format(packageVersion("spdep")))'), $RN cells, $RNSIM permutations, $CORES cores"
t0=$(date +%s.%N)
Rscript "$here/spdep_lisa.R" "$W/v$RN.geojson" "$W/v$RN.csv" "$RNSIM" "$CORES" 2>/dev/null | tee "$W/spdep.txt"
t1=$(date +%s.%N)
tr=$(secs "$t0" "$t1")
if [ "$RN" = "$N" ] && [ "$RNSIM" = "$NSIM" ]; then tsr=$ts; else tsr=$(whole "$RN" "$RNSIM"); fi
echo "spdep whole job: $tr s (R start-up included); solidata on the same file: $tsr s"
awk -v r="$tr" -v s="$tsr" 'BEGIN { printf "ratio spdep / solidata, whole job: %.1fx (target >= 50x)\n", r / s }'
if [ "$RN" = "$N" ]; then cp "$W/mem.txt" "$W/memr.txt"; else "$W/bench_lisa" "$W/v$RN.geojson" id "$RNSIM" >"$W/memr.txt"; fi
awk 'FNR == NR { r[$1] = $2; next } { s[$1] = $2 }
     END { printf "ratio spdep poly2nb+nb2listw / solidata queen (%s cells): %.0fx\n", "'"$RN"'", r["queen"] / s["queen"];
           if (r["localmoran_perm"] > 0)
             printf "ratio spdep localmoran_perm / solidata LISA (%s cells, %s permutations): %.0fx\n", "'"$RN"'", "'"$RNSIM"'", r["localmoran_perm"] / s["lisa"] }' \
    "$W/spdep.txt" "$W/memr.txt"
echo "libpysal + numpy: not measured (no PyPI access on this machine)"
