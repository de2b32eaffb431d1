# LISA and Gi* permutations run in parallel over areas, each area on its own random stream: the
# output files are the same byte for byte on 1 and 2 threads (the areas are shared out
# dynamically, in a different order each run); another seed changes the permutation p only.
GEO="--geo $DATA/lazio_municipalities.geojson --id-field istat_code"
awk -F, 'NR==1 || $4==2021' "$DATA/lazio_irpef_income.csv" >"$T/y2021.csv"
for a in lisa gistar; do
    for t in 1 2; do
        OMP_NUM_THREADS=$t sol spatial $a $GEO --data "$T/y2021.csv" \
            --var pct_income_0_10k --islands keep --permutations 999 --seed 11 --inference perm \
            --out "$T/$a.$t.csv"
        expect_exit 0
    done
    [ "$(wc -l <"$T/$a.1.csv")" = 379 ] || fail "$a: $(wc -l <"$T/$a.1.csv") lines"
    cmp "$T/$a.1.csv" "$T/$a.2.csv" || fail "$a: 1 and 2 threads give different files"
    # the permutation p is there and bounded (folded, two-sided: 2/1000 .. 1)
    col=$(head -1 "$T/$a.1.csv" | tr , '\n' | grep -n '^p_perm$' | cut -d: -f1)
    awk -F, -v c="$col" 'NR > 1 && $c != "NaN" && $c != "" { n++; if ($c < 0.002 - 1e-12 || $c > 1) bad++ }
        END { exit !(n >= 376 && bad == 0) }' "$T/$a.1.csv" || fail "$a: p_perm out of bounds"
    OMP_NUM_THREADS=2 sol spatial $a $GEO --data "$T/y2021.csv" --var pct_income_0_10k \
        --islands keep --permutations 999 --seed 12 --inference perm --out "$T/$a.s12.csv"
    expect_exit 0
    ! cmp -s "$T/$a.1.csv" "$T/$a.s12.csv" || fail "$a: seed 12 gives the same file as seed 11"
    # only the permutation p (and the classes decided from it) may change with the seed
    cut -d, -f1-$((col - 1)) "$T/$a.1.csv" >"$T/a"; cut -d, -f1-$((col - 1)) "$T/$a.s12.csv" >"$T/b"
    cmp -s "$T/a" "$T/b" || fail "$a: the analytic columns changed with the seed"
done
