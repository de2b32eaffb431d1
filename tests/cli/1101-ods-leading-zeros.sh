# An ODS workbook (LibreOffice): Istat codes typed as text keep their leading zero, years as
# columns are read as periods of the indicator named by --indicator, the "Totale" row is skipped.
WS=$TOP/tests/data/workspace
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name
expect_exit 0
sol import data "$WS/contribuenti_frosinone.ods" --area-field "Codice Istat" --indicator taxpayers
expect_exit 0
expect_err "read sheet 'Contribuenti' of the workbook \(ods\)"
expect_err "1 total row skipped \(line 17: 'Totale'\)"
expect_err "45 observations written, 1 indicators \(1 new\), 3 periods"
sol export data
expect_out '^060001,2018,taxpayers,192,,$'
expect_out '^060001,2021,taxpayers,'
# without --indicator, the sheet's name
sol import data "$WS/contribuenti_frosinone.ods" --area-field "Codice Istat" --source other
expect_exit 0; expect_err "one indicator, 'Contribuenti'"
