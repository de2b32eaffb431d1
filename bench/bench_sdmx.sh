#!/bin/bash
# bench_sdmx.sh SOLIDATA - reading SDMX data messages into columns (sol_sdmx_data_parse only,
# bench/bench_sdmx.c), against R in the same run, best of 3, wall and CPU seconds:
#  1. 1,000,000 observations (1,000 areas x 20 indicators x 50 years, bench/make-sdmx.py) as an
#     SDMX-ML 2.1 structure-specific message, as SDMX-CSV and as SDMX-JSON: solidata on the three,
#     data.table::fread on the CSV (one thread);
#  2. rsdmx::readSDMX + as.data.frame takes about 5 s per 20,000 observations here, so it is
#     timed on a smaller message of the same shape (BENCH_SDMX_R_AREAS areas: 20,000 observations)
#     and solidata on that same file.
# Sizes: BENCH_SDMX_AREAS (1000) BENCH_SDMX_R_AREAS (20) BENCH_SDMX_REPS (3).
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
A=${BENCH_SDMX_AREAS:-1000}; RA=${BENCH_SDMX_R_AREAS:-20}; REPS=${BENCH_SDMX_REPS:-3}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
command -v Rscript >/dev/null || { echo "bench_sdmx: Rscript not found (r-cran-rsdmx, r-cran-data.table)"; exit 1; }
python3 "$here/make-sdmx.py" "$A" 50 20 "$W/big.xml" "$W/big.csv" "$W/big.json"
python3 "$here/make-sdmx.py" "$RA" 50 20 "$W/small.xml" "$W/small.csv"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp -I"$top/include" -o "$W/bench_sdmx" \
    "$here/bench_sdmx.c" "$(dirname "$S")/libsolidata.a" \
    $(pkg-config --libs sqlite3 gdal jansson libsodium gsl libmicrohttpd cairo librsvg-2.0 nlopt \
      zlib libcurl libxml-2.0) -lglpk -lpthread -lm
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
read -r _ nx wx cx < <("$W/bench_sdmx" "$W/big.xml" "$REPS")
read -r _ nc wc cc < <("$W/bench_sdmx" "$W/big.csv" "$REPS")
read -r _ nj wj cj < <("$W/bench_sdmx" "$W/big.json" "$REPS")
read -r _ nf wf cf < <(Rscript "$here/sdmx_r.R" - "$W/big.csv" "$REPS")
read -r _ ns ws cs < <("$W/bench_sdmx" "$W/small.xml" "$REPS")
read -r _ nr wr cr < <(Rscript "$here/sdmx_r.R" "$W/small.xml" - "$REPS")
printf '%-44s %10s %8s %8s\n' "task (best of $REPS)" observations wall_s cpu_s
printf '%-44s %10s %8s %8s\n' "solidata SDMX-ML structure-specific" "$nx" "$wx" "$cx"
printf '%-44s %10s %8s %8s\n' "solidata SDMX-CSV" "$nc" "$wc" "$cc"
printf '%-44s %10s %8s %8s\n' "solidata SDMX-JSON 1.0" "$nj" "$wj" "$cj"
printf '%-44s %10s %8s %8s\n' "data.table::fread SDMX-CSV (1 thread)" "$nf" "$wf" "$cf"
printf '%-44s %10s %8s %8s\n' "solidata SDMX-ML, small" "$ns" "$ws" "$cs"
printf '%-44s %10s %8s %8s\n' "rsdmx readSDMX + as.data.frame, small" "$nr" "$wr" "$cr"
echo "fread / solidata on the CSV (wall): $(ratio "$wf" "$wc")x"
echo "rsdmx / solidata on the same XML (wall): $(ratio "$wr" "$ws")x"
echo "1M-observation XML: $(awk -v n="$nx" -v w="$wx" 'BEGIN { printf "%.0f", n / w }') observations per second"
