#!/bin/bash
# fuzz-smoke.sh SECONDS TARGET... - run each libFuzzer target for SECONDS on its kept corpus
# (fuzz/corpus/<name>/); a crash or sanitizer report fails the run.
secs=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
pass=0; fail=0
for t in "$@"; do
    name=$(basename "$t")
    corpus=$here/fuzz/corpus/$name
    work=$(mktemp -d)
    if "$t" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=0 "$work" "$corpus" \
        >"$work.log" 2>&1; then
        pass=$((pass + 1)); echo "  $name: $(grep -oE '#[0-9]+' "$work.log" | tail -1 | tr -d '#') runs, no crash"
    else
        fail=$((fail + 1)); echo "  FAIL $name"; tail -n 30 "$work.log"
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $pass passed, $fail failed"
mkdir -p "$here/build/results"
echo "$pass $fail" > "$here/build/results/fuzz"
[ $fail = 0 ]
