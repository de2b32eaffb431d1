#!/bin/bash
# run.sh BUILD BIN... - run each unit-test binary in its own process; record the counts.
build=$1; shift
# third-party leaks LeakSanitizer should not report (SAN builds), see tests/lsan.supp
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
tp=0; tf=0
for bin in "$@"; do
    out=$(cd "$(dirname "$0")/../.." && SOL_TEST_TMP=$(mktemp -d) "$bin" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
    else
        p=0; f=1  # crashed before its summary
    fi
    [ $rc != 0 ] && [ "$f" = 0 ] && f=1
    if [ "$f" != 0 ]; then printf '%s\n' "$out" | sed 's/^/    /'; fi
    printf '  %-40s %s\n' "$(basename "$bin")" "$line"
    tp=$((tp + p)); tf=$((tf + f))
done
echo "unit ($build): $tp passed, $tf failed"
echo "$tp $tf" > "$build/results/unit"
[ $tf = 0 ]
