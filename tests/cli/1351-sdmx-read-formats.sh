# sdmx read: the same ECB exchange rates in SDMX-ML generic, structure-specific, flat and
# cross-sectional layouts, SDMX-JSON 1.0/2.0, and SDMX-CSV 2.0 with a decimal comma and labels.
S=$TOP/tests/data/sdmx
for f in ECB_EXR/ng-ts.xml ECB_EXR/ng-ts-ss.xml ECB_EXR/ng-flat.xml ECB_EXR/ng-xs-ss.xml; do
    sol sdmx read "$S/$f"
    expect_exit 0; expect_lines 13
    grep -q '^M,.*2010-09.*,1.3089,A$' "$T/out" || grep -q '2010-09,.*,1.3089,A$' "$T/out" ||
        fail "$f: no 1.3089 for 2010-09"
done
sol sdmx read "$S/ECB_EXR/xs.json"
expect_exit 0; expect_lines 5; expect_out '^D,EUR,SP00,A,2013-01-18,RUB,40.3425999'
sol sdmx read "$S/v3/json/data/exr-flat.json" --format json
expect_exit 0; expect_lines 5
sol sdmx read "$S/v3/csv/example-04.csv" --summary
expect_exit 0; expect_out '^DIM_3,2,2014-01 2014-02$'
sol sdmx read "$S/v3/csv/example-04.csv"
expect_exit 0; expect_out ',12.4,$'
