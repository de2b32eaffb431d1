#!/bin/bash
# spatial.sh - benchmark of queen contiguity on a synthetic grid (~200k cells) against the naive
# all-pairs method on a small grid. Not a timed test: prints figures. Usage: bench/spatial.sh [SIDE]
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build/libsolidata.a >/dev/null
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp -Iinclude -o build/bench_spatial \
   bench/bench_spatial.c build/libsolidata.a $(pkg-config --libs jansson libsodium) -lm
build/bench_spatial "${1:-448}" 60
