# Counts declared after the first import: re-importing the same file with --count-indicators
# applies the declaration to the stored values at once (small counts withheld, audited); it is not
# "unchanged, nothing to do" while 4 and 5 stay public.
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[\n";
    split("R1,R2,P1,P2,P3,P4,P5,P6", c, ",");
    for (i = 1; i <= 8; i++) { x = 12 + i / 10; y = 41; X = x + 0.1; Y = y + 0.1;
        printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}\n",
            (i > 1 ? "," : ""), c[i], x, y, X, y, X, Y, x, Y, x, y }
    print "]}" }' >"$T/areas.geojson"
printf 'code,year,poor\nR1,2023,100\nP1,2023,4\nP2,2023,30\nP6,2023,5\nP5,2023,45\n' >"$T/counts.csv"
sol import areas "$T/areas.geojson" --code-field code --level area; expect_exit 0
sol import data "$T/counts.csv" --area-field code --period-field year; expect_exit 0
sol export data --indicator poor; expect_exit 0
expect_out '^P1,2023,poor,4,,$'   # public: nobody said it was a count
sol audit list; n_before=$(grep -c . "$T/out")
# the same bytes, now declared a count: applied at once
sol import data "$T/counts.csv" --area-field code --period-field year --count-indicators poor
expect_exit 0
sol export data --indicator poor; expect_exit 0
expect_out '^P1,2023,poor,,,suppressed$'; expect_out '^P6,2023,poor,,,suppressed$'
expect_out '^R1,2023,poor,100,,$'
sol audit list; [ "$(grep -c . "$T/out")" -gt "$n_before" ] || fail "the declaration was not audited"
grep -q "import.settings" "$T/out" || fail "no import.settings entry in the audit log"
sol audit verify; expect_exit 0
