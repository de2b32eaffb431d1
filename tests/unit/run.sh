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
if [ "$backend" = postgresql ]; then
    label=unit-pg
    PGC=/tmp/solidata-unit-pg.$$
    "$top/scripts/pg-cluster" start "$PGC" >/dev/null || { echo "0 1" >"$build/results/$label"; exit 1; }
    trap '"$top/scripts/pg-cluster" stop "$PGC"' EXIT
    export SOL_TEST_PG_ADMIN=$("$top/scripts/pg-cluster" url "$PGC" postgres)
fi
tp=0; tf=0; tk=0
for bin in "$@"; do
    tmp=$(mktemp -d)
    out=$(cd "$top" && SOL_TEST_TMP=$tmp "$bin" 2>&1); rc=$?
    rm -rf "$tmp"
    line=$(printf '%s\n' "$out" | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
        p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}; k=${BASH_REMATCH[4]:-0}
    else
        p=0; f=1; k=0  # crashed before its summary
    fi
    [ $rc != 0 ] && [ "$f" = 0 ] && f=1
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
