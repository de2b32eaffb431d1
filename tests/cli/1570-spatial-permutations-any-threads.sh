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
# 10,000 squares (the CSV is written in blocks of rows, in parallel, a wave of blocks at a time):
# every row in the areas' order with its own value, the same bytes on 1 and 2 threads
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
  for (a = 0; a < 10000; a++) { x = (a % 100) * 0.01; y = int(a / 100) * 0.01;
    printf "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"Q%05d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
      (a ? "," : ""), a, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01, x, y }
  print "]}" }' >"$T/grid.geojson"
awk 'BEGIN { print "id,v"; s = 7; for (a = 0; a < 10000; a++) {
  s = (s * 1103515245 + 12345) % 2147483648; printf "Q%05d,%.4f\n", a, s / 21474836.48 } }' >"$T/grid.csv"
for t in 1 2; do
    OMP_NUM_THREADS=$t sol spatial lisa --geo "$T/grid.geojson" --id-field id --data "$T/grid.csv" \
        --var v --permutations 99 --seed 3 --out "$T/grid.$t.csv"
    expect_exit 0
done
cmp "$T/grid.1.csv" "$T/grid.2.csv" || fail "grid: 1 and 2 threads give different files"
awk -F, 'NR == FNR { if (FNR > 1) v[$1] = $2; next }
    FNR > 1 { want = sprintf("Q%05d", FNR - 2); if ($1 != want || $2 + 0 != v[$1] + 0) { print FNR ": " $1 " " $2; bad++ } }
    END { exit !(FNR == 10001 && bad == 0) }' "$T/grid.csv" "$T/grid.2.csv" ||
    fail "grid: rows out of order or with another area's value"
