#!/bin/bash
# bench_spatial.sh SOLIDATA - LISA on a Voronoi tessellation of random points (made once with GEOS
# through R sf, bench/make-voronoi.R), the whole job (read polygons + values, queen contiguity,
# local Moran with NSIM conditional permutations, write CSV) against its peers in the same run:
#  - libpysal + numpy (bench/pysal_lisa.py: libpysal queen, esda's crand permutations in numpy);
#  - R spdep (bench/spdep_lisa.R: st_read, poly2nb, nb2listw, localmoran, localmoran_perm on
#    CORES cores), on SPDEP_N cells (solidata is re-timed on that same file when it differs);
#  - GDAL alone reading the file (bench/gdal_read.c: open, features, GEOS validity), the floor
#    under solidata's read;
#  - and, in memory (bench/bench_lisa.c), solidata's read / queen / LISA steps on 1 and CORES
#    threads.
# Every program is timed the same way: best wall time of RUNS runs, with the CPU time (user + sys)
# of that run beside it, so that a loaded machine shows (CPU < wall x cores busy).
# Sizes: BENCH_SPATIAL_N (100000) BENCH_SPATIAL_NSIM (999) BENCH_SPATIAL_CORES (2)
#        BENCH_SPATIAL_RUNS (1) BENCH_SPDEP_N (N; 100000 takes spdep about 10 minutes here).
# Peers missing are installed from Debian (r-base-core r-cran-sf r-cran-spdep python3-libpysal).
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
N=${BENCH_SPATIAL_N:-100000}; NSIM=${BENCH_SPATIAL_NSIM:-999}; CORES=${BENCH_SPATIAL_CORES:-2}
RUNS=${BENCH_SPATIAL_RUNS:-1}; RN=${BENCH_SPDEP_N:-$N}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$W"' EXIT
PY=/usr/bin/python3 # Debian's, where python3-libpysal is

need=""
for p in r-base-core r-cran-sf r-cran-spdep python3-libpysal python3-numpy time; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
    echo "bench_spatial: installing the peers from Debian:$need" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >&2
fi

for n in $(printf '%s\n' "$N" "$RN" | sort -un); do
    [ -s "$W/v$n.geojson" ] && continue
    echo "generating $n Voronoi cells (GEOS via R sf) in $W ..." >&2
    Rscript "$here/make-voronoi.R" "$n" "$W/v$n.geojson" "$W/v$n.csv" 2>/dev/null
done
cc -O2 -std=c11 -o "$W/gdal_read" "$here/gdal_read.c" $(pkg-config --cflags --libs gdal)
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp -I"$top/include" -o "$W/bench_lisa" \
    "$here/bench_lisa.c" "$(dirname "$S")/libsolidata.a" \
    $(pkg-config --libs sqlite3 gdal jansson libsodium gsl) -lm

# timed NAME CMD...: best of RUNS by wall time; appends "NAME wall cpu" to $W/times
timed() {
    local name=$1 best="" r
    shift
    for ((r = 0; r < RUNS; r++)); do
        /usr/bin/time -f '%e %U %S' -o "$W/t.$name" "$@" >"$W/out.$name" 2>"$W/err.$name" ||
            { echo "bench_spatial: $name failed:" >&2; tail -5 "$W/err.$name" >&2; exit 1; }
        read -r wall user sys < <(tail -1 "$W/t.$name")
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        if [ -z "$best" ] || awk -v a="$wall" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then
            best="$wall $cpu"
        fi
    done
    echo "$name $best" >>"$W/times"
    printf '%-28s wall %8.2f s   CPU (user+sys) %8.2f s\n' "$name" ${best}
}
ratio() { # A B: "B / A" for wall and CPU
    awk -v a="$1" -v b="$2" '$1 == a { aw = $2; ac = $3 } $1 == b { bw = $2; bc = $3 }
        END { printf "ratio %s / %s: %.1fx wall, %.1fx CPU\n", b, a, bw / aw, bc / ac }' "$W/times"
}
: >"$W/times"

echo "-- GDAL alone (bench/gdal_read.c), $N cells: open (GeoJSON: a pass to learn the fields), features, GEOS validity, seconds"
"$W/gdal_read" "$W/v$N.geojson"
echo "-- in memory (bench/bench_lisa.c), $N cells, $NSIM permutations, seconds per step"
for t in 1 "$CORES"; do
    printf 'threads %s: ' "$t"
    OMP_NUM_THREADS=$t "$W/bench_lisa" "$W/v$N.geojson" id "$NSIM" | awk '{ printf "%s %s  ", $1, $2 } END { print "" }'
done

export OMP_NUM_THREADS=$CORES
sol_lisa() { # N: the command's words
    echo "$S" --quiet spatial lisa --geo "$W/v$1.geojson" --id-field id --data "$W/v$1.csv" \
        --var value --islands keep --permutations "$NSIM" --out "$W/lisa$1.csv"
}
echo "-- whole job (read, queen, LISA $NSIM permutations, write), $N cells, best of $RUNS"
timed solidata $(sol_lisa "$N")
[ "$(wc -l <"$W/lisa$N.csv")" = $((N + 1)) ] || { echo "solidata lisa: wrong row count" >&2; exit 1; }
timed libpysal+numpy "$PY" "$here/pysal_lisa.py" "$W/v$N.geojson" "$W/v$N.csv" "$NSIM" "$W/py$N.csv"
sed 's/^/    libpysal step /' "$W/out.libpysal+numpy"
# the same job: the same local Moran (I_i) in both outputs
awk -F, 'FNR == 1 { next } FNR == NR { I[$1] = $3; next }
    { d = $3 - I[$1]; if (d < 0) d = -d; if (d > m) m = d; c++ }
    END { printf "    same I_i as libpysal on %d areas: max |difference| %.2g\n", c, m; exit !(m < 1e-9) }' \
    "$W/py$N.csv" "$W/lisa$N.csv"
ratio solidata libpysal+numpy
timed "spdep($RN)" Rscript "$here/spdep_lisa.R" "$W/v$RN.geojson" "$W/v$RN.csv" "$NSIM" "$CORES"
sed 's/^/    spdep step /' "$W/out.spdep($RN)"
if [ "$RN" != "$N" ]; then
    timed "solidata($RN)" $(sol_lisa "$RN")
    ratio "solidata($RN)" "spdep($RN)"
else
    ratio solidata "spdep($RN)"
fi
echo "(aims: >= 10x libpysal + numpy and >= 100x spdep, whole job, same run)"
