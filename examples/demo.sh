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

# DB=postgresql (make demo DB=postgresql): the same demo on PostgreSQL/PostGIS, in a throwaway
# cluster (scripts/pg-cluster, under /tmp) with one database per demo, stopped at the end unless
# DEMO_PG_KEEP=1 (then its addresses are printed, to open the stores with --db or QGIS).
backend=${DB:-sqlite}
case $backend in
sqlite | postgresql) ;;
*) echo "demo.sh: DB=$backend: expected sqlite or postgresql" >&2; exit 2 ;;
esac
if [ "$backend" = postgresql ]; then
    pgc=/tmp/solidata-demo-pg.$$
    "$here/../scripts/pg-cluster" start "$pgc" >/dev/null
    if [ "${DEMO_PG_KEEP:-0}" = 1 ]; then
        trap 'echo "demo cluster kept: $here/../scripts/pg-cluster stop $pgc to remove it" >&2' EXIT
    else
        trap '"$here/../scripts/pg-cluster" stop "$pgc"; echo "the demo cluster is removed, so the serve command above has no store to open; DEMO_PG_KEEP=1 keeps it (make demo DB=postgresql DEMO_PG_KEEP=1)" >&2' EXIT
    fi
fi
# pg_store NAME: a fresh database NAME on the demo cluster, its address on stdout
pg_store() {
    "$here/../scripts/pg-cluster" psql "$pgc" -d postgres \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 OWNER solidata TEMPLATE solidata_template" >/dev/null
    "$here/../scripts/pg-cluster" url "$pgc" "$1"
}

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
    if [ "$backend" = postgresql ]; then
        db=$(pg_store "demo_$demo")
        echo "demo store ($demo): $db" >&2
    fi
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
