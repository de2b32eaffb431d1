# ISTAT codes that a spreadsheet turned into numbers (060001 -> 60001) are restored against the
# store's codes, and said
W=$TOP/tests/data/workspace
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
sol import data "$W/match_lazio_zeros.csv" --area-field comune --period 2023
expect_exit 0
expect_err "34 observations written"
expect_err "34 codes had lost their leading zeros and were restored"
# the name column is text, left out and said so
expect_err "non-numeric columns left out: nome"
sol export data --indicator famiglie_aiutate --period 2023
expect_out "^060001,.*,5(\.0*)?($|,)"
# with --match names, the same file matches by the name column only when told to: codes are
# refused as names
sol import data "$W/match_lazio_zeros.csv" --area-field comune --period 2024 --match names --source other
expect_exit 1; expect_err "34 values of column 'comune' are not areas of the store"
# two store codes that the same number could be (01 and 001): ambiguous, both listed
printf 'code,v\n1,5\n' >"$T/one.csv"
sq='"geometry":{"type":"Polygon","coordinates":[[[12,42],[12.1,42],[12.1,42.1],[12,42]]]}'
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"c":"01"},%s},{"type":"Feature","properties":{"c":"001"},%s}]}' "$sq" "$sq" >"$T/two.geojson"
sol import areas "$T/two.geojson" --code-field c --level x
expect_exit 0
sol import data "$T/one.csv" --area-field code --period 2023
expect_exit 1; expect_err "'1' \(line 2\): 001 \(001\), 01 \(01\)"
