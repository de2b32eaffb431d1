#!/bin/bash
# run.sh BUILD SOLIDATA - run every tests/cli/NNNN-*.sh in its own shell and temporary folder,
# with the helpers of lib.sh; print one line per failure and the count.
# CLI_TESTS='07*' (a glob on the file names) runs a subset, for work on one module.
# CLI_JOBS tests run at once (default: the number of cores); each has its own folder, store and
# loopback ports, so they do not meet. Failures are printed in the order of the file names.
# SOLIDATA_TEST_BACKEND=postgresql runs them on PostgreSQL (see below); a test about the SQLite
# file itself says sqlite_only and is counted as skipped there.
# Each test starts in English whatever the machine's locale: LC_ALL=C.UTF-8, and LANGUAGE, LANG
# and LC_MESSAGES unset (a test of another language sets them, or passes --lang).
# The run ends with the slowest tests and their seconds (CLI_SLOWEST of them, default 5), to
# show where the suite's time goes.
build=$1
# third-party leaks LeakSanitizer should not report (SAN builds), see tests/lsan.supp
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
export SOLIDATA=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
export TOP=$(cd "$here/../.." && pwd)
jobs_max=${CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
# SOLIDATA_TEST_BACKEND=postgresql: one throwaway cluster for the run (under /tmp, where its
# unprivileged owner can reach it), one database per test from solidata_template, dropped after
backend=${SOLIDATA_TEST_BACKEND:-sqlite}
if [ "$backend" = postgresql ]; then
    PGC=/tmp/solidata-cli-pg.$$
    "$TOP/scripts/pg-cluster" start "$PGC" >/dev/null || exit 1
    trap '"$TOP/scripts/pg-cluster" stop "$PGC"; rm -rf "$R"' EXIT
    export PG_ADMIN=$("$TOP/scripts/pg-cluster" url "$PGC" postgres)
fi
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$PG_ADMIN" -c "$1" >/dev/null; }

run_one() {
    local t=$1 name T
    name=$(basename "$t" .sh)
    T=$(mktemp -d)
    local t0=$EPOCHREALTIME
    if [ "$backend" = postgresql ]; then
        local db=t_${name%%-*}
        export TEST_PG_DB=${PG_ADMIN%/postgres}/$db
        pg_admin "CREATE DATABASE $db TEMPLATE solidata_template" 2>"$T/.log" ||
            { tail -n 30 "$T/.log" >"$R/$name.fail"; rm -rf "$T"; return; }
    fi
    if (cd "$T" && unset LANGUAGE LANG LC_MESSAGES && export LC_ALL=C.UTF-8 T &&
        . "$here/lib.sh" && . "$t") >"$T/.log" 2>&1; then
        if [ -e "$T/.skipped" ]; then : >"$R/$name.skip"; else : >"$R/$name.pass"; fi
    else
        tail -n 30 "$T/.log" >"$R/$name.fail"
    fi
    # plainly first: WITH (FORCE) may not stop an autovacuum worker for a non-superuser
    [ "$backend" != postgresql ] || pg_admin "DROP DATABASE $db" 2>/dev/null ||
        pg_admin "DROP DATABASE $db WITH (FORCE)" || true
    rm -rf "$T"
    echo "$t0 $EPOCHREALTIME $name" | awk '{printf "%.1f %s\n", $2 - $1, $3}' >"$R/$name.time"
}

for t in "$here"/${CLI_TESTS:-[0-9]*}.sh; do
    [ -e "$t" ] || continue
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    run_one "$t" &
done
wait
pass=$(find "$R" -name '*.pass' | wc -l)
fail=0
for f in $(find "$R" -name '*.fail' | sort); do
    fail=$((fail + 1))
    echo "  FAIL $(basename "$f" .fail).sh"
    sed 's/^/    /' "$f"
done
skip=$(find "$R" -name '*.skip' | wc -l)
if [ "$skip" -gt 0 ]; then
    why="about the SQLite file"
    [ "$backend" = sqlite ] && why="they need a PostgreSQL server: make check-cli-pg runs them"
    echo "  skipped on $backend ($why): $(find "$R" -name '*.skip' -printf '%f\n' | sed 's/\.skip$//' | sort | tr '\n' ' ')"
fi
label=cli
[ "$backend" = sqlite ] || label=cli-pg
name=$label
[ "$build" = build ] || name="$label ($build)"
echo "  slowest on $backend (seconds): $(cat "$R"/*.time 2>/dev/null | sort -rn |
    head -n "${CLI_SLOWEST:-5}" | awk '{printf "%s %s  ", $2, $1}')"
if [ "$skip" -gt 0 ]; then
    echo "$name: $pass passed, $fail failed, $skip skipped"
else
    echo "$name: $pass passed, $fail failed"
fi
echo "$pass $fail $skip" > "$build/results/$label"
[ $fail = 0 ]
