#!/bin/bash
# demo.sh SOLIDATA - import the bundled real data into a fresh demo store and show what is inside.
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
D=$here/data
out=${DEMO_OUT:-$(cd "$here/.." && pwd)/out}
mkdir -p "$out"
db=$out/demo.db
rm -f "$db" "$db-wal" "$db-shm"
run() { echo "\$ solidata $*" >&2; "$S" --db "$db" "$@"; }

# Steps live in demo.d/NN-name.sh and run in order, sourced with S (the solidata binary), D (the
# bundled data), db (the demo store), out (the output folder) and run() (echo + run on the store).
for step in "$here"/demo.d/[0-9]*.sh; do
    . "$step"
done
