#!/bin/bash
# run.sh BUILD BIN... - run each unit-test binary in its own process; record the counts.
# SOLIDATA_TEST_BACKEND=postgresql (make check-unit-pg) runs them with their stores on
# PostgreSQL: one throwaway cluster for the run (scripts/pg-cluster), its maintenance database's
# address in SOL_TEST_PG_ADMIN; each store a test asks for (test_store_target, test_util.h) is a
# database made from solidata_template and dropped when the binary exits. A test about the SQLite
# file itself says SQLITE_ONLY and is counted as skipped there, with its reason printed.
build=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
# third-party leaks LeakSanitizer should not report (SAN builds), see tests/lsan.supp
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$top/tests/lsan.supp:print_suppressions=0"
backend=${SOLIDATA_TEST_BACKEND:-sqlite}
label=unit
R=$(mktemp -d)
trap 'rm -rf "$R"; [ -z "${PGC:-}" ] || "$top/scripts/pg-cluster" stop "$PGC"' EXIT
if [ "$backend" = postgresql ]; then
    label=unit-pg
    PGC=/tmp/solidata-unit-pg.$$
    "$top/scripts/pg-cluster" start "$PGC" >/dev/null || { echo "0 1" >"$build/results/$label"; exit 1; }
    export SOL_TEST_PG_ADMIN=$("$top/scripts/pg-cluster" url "$PGC" postgres)
fi
# One binary at a time on SQLite (some use every core through OpenMP). On PostgreSQL they wait on
# the server's round trips more than they compute: UNIT_JOBS (default: the number of cores) run at
# once, each in its own databases; the outputs are printed in the order of the arguments.
jobs_max=1
[ "$backend" = postgresql ] && jobs_max=${UNIT_JOBS:-$(nproc 2>/dev/null || echo 2)}
run_one() {
    local tmp
    tmp=$(mktemp -d)
    (cd "$top" && SOL_TEST_TMP=$tmp "$1" >"$R/$2.out" 2>&1)
    echo $? >"$R/$2.rc"
    rm -rf "$tmp"
}
i=0
for bin in "$@"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    run_one "$bin" $i &
    i=$((i + 1))
done
wait
tp=0; tf=0; tk=0; i=0
for bin in "$@"; do
    out=$(cat "$R/$i.out"); rc=$(cat "$R/$i.rc"); i=$((i + 1))
    line=$(printf '%s\n' "$out" | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
        p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}; k=${BASH_REMATCH[4]:-0}
    else
        p=0; f=1; k=0  # crashed before its summary
    fi
    [ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
    if [ "$f" != 0 ]; then printf '%s\n' "$out" | sed 's/^/    /'; fi
    printf '  %-40s %s\n' "$(basename "$bin")" "$line"
    [ "$f" != 0 ] || printf '%s\n' "$out" | grep '^SKIP ' | sed 's/^/    /'
    tp=$((tp + p)); tf=$((tf + f)); tk=$((tk + k))
done
if [ $tk -gt 0 ]; then
    echo "$label ($build): $tp passed, $tf failed, $tk skipped"
else
    echo "$label ($build): $tp passed, $tf failed"
fi
echo "$tp $tf $tk" > "$build/results/$label"
[ $tf = 0 ]
