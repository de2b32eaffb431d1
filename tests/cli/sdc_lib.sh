# sdc_lib.sh - a store for the disclosure-control tests: two regions (R1, R2) and their provinces
# (P1..P4 in R1, P5 P6 in R2), each region the sum of its provinces for the count indicator
# "poor" (persons); "rate" is not a count. k = 10: P1 (4) and P6 (5) are small counts.
sdc_store() {
    awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[\n";
        split("R1,R2,P1,P2,P3,P4,P5,P6", c, ","); split(",,R1,R1,R1,R1,R2,R2", p, ",");
        for (i = 1; i <= 8; i++) { x = 12 + i / 10; y = 41; X = x + 0.1; Y = y + 0.1;
            printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"parent\":\"%s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}\n",
                (i > 1 ? "," : ""), c[i], p[i], x, y, X, y, X, Y, x, Y, x, y }
        print "]}" }' >"$T/areas.geojson"
    cat >"$T/counts.csv" <<'CSV'
code,year,poor,rate
R1,2023,100,0.21
R2,2023,50,0.12
P1,2023,4,0.05
P2,2023,30,0.3
P3,2023,26,0.26
P4,2023,40,0.4
P5,2023,45,0.45
P6,2023,5,0.07
CSV
    printf 'code,label,polarity\npoor,Persons in poverty,lower_better\nrate,Poverty rate,lower_better\n' >"$T/meta.csv"
    sol import areas "$T/areas.geojson" --code-field code --parent-field parent --level area
    expect_exit 0
    sol import data "$T/counts.csv" --area-field code --period-field year --count-indicators poor \
        --indicator-meta "$T/meta.csv"
    expect_exit 0
}
