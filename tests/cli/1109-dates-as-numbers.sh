# Dates in the period column: day numbers (Excel serials, 43466 = 2019-01-01) and date cells are
# read as their periods (years when every date is a 1st of January, months otherwise), and said.
WS=$TOP/tests/data/workspace
sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom
expect_exit 0
sol import data "$WS/dates.xlsx" --area-field code --period-field date
expect_exit 0
expect_err "12 dates in the period column were read as their periods"
sol export data; expect_out '^93001,2019,mediane,'
printf 'code;mois;v\n93008;43466;1\n93008;43497;2\n' >"$T/s.csv"
sol import data "$T/s.csv" --area-field code --period-field mois
expect_exit 0; expect_err "2 dates in the period column were read as their periods"
sol export data; expect_out '^93008,2019-02,v,2,,$'
