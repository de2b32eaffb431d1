#!/bin/bash
# run.sh SOLIDATA - the benchmarks. Figures are ratios against a baseline measured in the same run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for b in "$here"/bench_*.sh; do
    echo "== $(basename "$b")"
    "$b" "$S"
done
