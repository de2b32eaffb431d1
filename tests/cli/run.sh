#!/bin/bash
# run.sh BUILD SOLIDATA - run every tests/cli/NNNN-*.sh in its own shell and temporary folder,
# with the helpers of lib.sh; print one line per failure and the count.
# CLI_TESTS='07*' (a glob on the file names) runs a subset, for work on one module.
# Each test starts in English whatever the machine's locale: LC_ALL=C.UTF-8, and LANGUAGE, LANG
# and LC_MESSAGES unset (a test of another language sets them, or passes --lang).
build=$1
# third-party leaks LeakSanitizer should not report (SAN builds), see tests/lsan.supp
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
export SOLIDATA=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
export TOP=$(cd "$here/../.." && pwd)
pass=0; fail=0
for t in "$here"/${CLI_TESTS:-[0-9]*}.sh; do
    [ -e "$t" ] || continue
    T=$(mktemp -d)
    if (cd "$T" && unset LANGUAGE LANG LC_MESSAGES && export LC_ALL=C.UTF-8 T &&
        . "$here/lib.sh" && . "$t") >"$T/.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "  FAIL $(basename "$t")"
        sed 's/^/    /' "$T/.log" | tail -n 30
    fi
    rm -rf "$T"
done
echo "cli: $pass passed, $fail failed"
echo "$pass $fail" > "$build/results/cli"
[ $fail = 0 ]
