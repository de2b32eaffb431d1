#!/bin/bash
# run.sh BUILD SOLIDATA - run every tests/cli/NNNN-*.sh in its own shell and temporary folder,
# with the helpers of lib.sh; print one line per failure and the count.
# CLI_TESTS='07*' (a glob on the file names) runs a subset, for work on one module.
# CLI_JOBS tests run at once (default: the number of cores); each has its own folder, store and
# loopback ports, so they do not meet. Failures are printed in the order of the file names.
# Each test starts in English whatever the machine's locale: LC_ALL=C.UTF-8, and LANGUAGE, LANG
# and LC_MESSAGES unset (a test of another language sets them, or passes --lang).
build=$1
# third-party leaks LeakSanitizer should not report (SAN builds), see tests/lsan.supp
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
export SOLIDATA=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
export TOP=$(cd "$here/../.." && pwd)
jobs_max=${CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT

run_one() {
    local t=$1 name T
    name=$(basename "$t" .sh)
    T=$(mktemp -d)
    if (cd "$T" && unset LANGUAGE LANG LC_MESSAGES && export LC_ALL=C.UTF-8 T &&
        . "$here/lib.sh" && . "$t") >"$T/.log" 2>&1; then
        : >"$R/$name.pass"
    else
        tail -n 30 "$T/.log" >"$R/$name.fail"
    fi
    rm -rf "$T"
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
echo "cli: $pass passed, $fail failed"
echo "$pass $fail" > "$build/results/cli"
[ $fail = 0 ]
