#!/bin/bash
# fuzz-smoke.sh SECONDS TARGET... - run each libFuzzer target for SECONDS on its kept corpus
# (fuzz/corpus/<name>/); a crash or sanitizer report fails the run. Targets run FUZZ_JOBS at a
# time (default: the number of cores; each target is one process on one core), and are reported
# in the order given.
secs=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${FUZZ_JOBS:-$(nproc)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run_one() { # run_one INDEX TARGET: its status in $out/INDEX.rc, its log in $out/INDEX.log
    local name corpus work
    name=$(basename "$2"); corpus=$here/fuzz/corpus/$name; work=$(mktemp -d)
    "$2" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=0 "$work" "$corpus" \
        >"$out/$1.log" 2>&1
    echo $? >"$out/$1.rc"
    rm -rf "$work"
}
i=0
for t in "$@"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one $i "$t" &
    i=$((i + 1))
done
wait
pass=0; fail=0; i=0
for t in "$@"; do
    name=$(basename "$t")
    if [ "$(cat "$out/$i.rc" 2>/dev/null)" = 0 ]; then
        pass=$((pass + 1)); echo "  $name: $(grep -oE '#[0-9]+' "$out/$i.log" | tail -1 | tr -d '#') runs, no crash"
    else
        fail=$((fail + 1)); echo "  FAIL $name"; tail -n 30 "$out/$i.log"
    fi
    i=$((i + 1))
done
echo "fuzz: $pass passed, $fail failed"
mkdir -p "$here/build/results"
echo "$pass $fail" > "$here/build/results/fuzz"
[ $fail = 0 ]
