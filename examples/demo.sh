#!/bin/bash
# demo.sh SOLIDATA [it|fr|all] - import the bundled real data into fresh demo stores and show what
# is inside: the Italian demo (Istat BES, MEF IRPEF, Lazio; store out/demo.db), then the French
# one (Insee Filosofi, Île-de-France and the départements; store out/demo-fr.db, files in out/fr/).
# The second argument, or $DEMO, picks one (default: both, Italian first).
set -euo pipefail
S=$1
which=${2:-${DEMO:-all}}
here=$(cd "$(dirname "$0")" && pwd)
out_top=${DEMO_OUT:-$(cd "$here/.." && pwd)/out}
case $which in
all) demos="it fr" ;;
it | fr) demos=$which ;;
*) echo "demo.sh: DEMO=$which: expected it, fr or all" >&2; exit 2 ;;
esac

# Steps live in demo.d/NN-name.sh (Italian demo) and demo-fr.d/NN-name.sh (French demo) and run in
# order, sourced with S (the solidata binary), D (the bundled data), db (the demo store), out (the
# output folder) and run() (echo + run on the store).
for demo in $demos; do
    if [ "$demo" = it ]; then
        D=$here/data
        out=$out_top
        db=$out/demo.db
        steps=$here/demo.d
        lang=()
    else
        D=$here/data/france
        out=$out_top/fr
        db=$out_top/demo-fr.db
        steps=$here/demo-fr.d
        lang=(--lang fr) # the French demo speaks French from the first command to the atlas
    fi
    mkdir -p "$out"
    rm -f "$db" "$db-wal" "$db-shm"
    # the demo's imports and analyses are published at once, so that the dashboard shows them;
    # otherwise each starts as a draft until 'solidata publish' (docs/publish.md)
    export SOLIDATA_PUBLISH_AUTO=on
    run() { echo "\$ solidata ${lang[*]} $*" >&2; "$S" "${lang[@]}" --db "$db" "$@"; }
    # run_head N ARGS...: run, then show the first N lines (read from a file, not a pipe, so that
    # a reader that stops early never kills the command under pipefail)
    run_head() { local n=$1; shift; run "$@" >"$out/.head"; head -n "$n" "$out/.head"; rm -f "$out/.head"; }
    for step in "$steps"/[0-9]*.sh; do
        . "$step"
    done
done
