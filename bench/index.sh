#!/bin/bash
# index.sh - benchmark of `solidata index` Monte Carlo: 10,000 areas x 50 indicators, 10,000
# replications in C on 2 threads (target: within 15 s), against the same computation in R
# measured in the same run on fewer replications and scaled linearly (said in the output).
set -e
cd "$(dirname "$0")/.."
N=${N:-10000}; REPS=${REPS:-10000}; RREPS=${RREPS:-200}
make -s build/libsolidata.a
gcc -O2 -std=c11 -fopenmp -Iinclude -o build/index_bench bench/index_bench.c build/libsolidata.a \
    $(pkg-config --libs gsl jansson) -lm
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
c_out=$(OMP_NUM_THREADS=2 ./build/index_bench "$N" "$REPS" "$tmp/data.csv")
echo "$c_out"
r_out=$(Rscript bench/index.R "$tmp/data.csv" "$RREPS")
echo "$r_out"
c_s=$(echo "$c_out" | sed -n 's/.*threads: \([0-9.]*\) s/\1/p')
r_per=$(echo "$r_out" | sed -n 's/.*(\([0-9.]*\) s per replication)/\1/p')
awk -v c="$c_s" -v r="$r_per" -v n="$REPS" -v rr="$RREPS" 'BEGIN {
  printf "R scaled from %d to %d replications: %.1f s; R / C = %.1f\n", rr, n, r * n, r * n / c }'
