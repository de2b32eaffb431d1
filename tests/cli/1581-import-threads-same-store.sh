# An import read by one thread and written by another gives the same store as one thread alone
# (OMP_NUM_THREADS=1 and 2, exports compared byte for byte), when every area is a code (one pass)
# and when a name late in the file needs the whole column matched (a second pass from there).
with_regions; store_save regions
# 20 regions x 100 indicators x 25 years = 50,000 rows: a dozen of the writer's batches
awk 'BEGIN { print "reg_code,year,indicator,value"; s = 7;
  for (i = 0; i < 100; i++) for (a = 1; a <= 20; a++) for (y = 2000; y < 2025; y++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    printf "%02d,%d,ind%03d,%.6f\n", a, y, i, s / 2147483.648 } }' >"$T/obs.csv"
# the same rows, region 01 written by its name from indicator 90 on
awk -F, 'NR > 1 && $1 == "01" && $3 >= "ind090" { $1 = "Piemonte" } 1' OFS=, "$T/obs.csv" >"$T/named.csv"
for f in obs named; do
    for t in 1 2; do
        store_restore regions
        OMP_NUM_THREADS=$t sol import data "$T/$f.csv" --area-field reg_code --period-field year
        expect_exit 0; expect_err "50000 rows read, 50000 observations written"
        sol export data; expect_exit 0; cp "$T/out" "$T/$f-$t.csv"
    done
    cmp "$T/$f-1.csv" "$T/$f-2.csv" || fail "$f.csv: one thread and two give different stores"
    [ "$(wc -l <"$T/$f-2.csv")" = 50001 ] || fail "$f.csv: not every value exported"
done
# the names matched the same areas as the codes
cmp "$T/obs-2.csv" "$T/named-2.csv" || fail "a region by its name is not the region by its code"
