# the Lazio demo data: 378 municipalities x 3 tax years, wide, MEF-suppressed cells left missing
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0; expect_err "imported 378 areas"
sol import data "$DATA/lazio_irpef_income.csv" --area-field istat_code --period-field year
expect_exit 0
expect_err "1134 rows read, 33716 observations written, 31 indicators \(31 new\), 3 periods, 1438 missing values left out"
sol export data --indicator inc_le0_n --period 2018; [ "$(wc -l <"$T/out")" = $((378 - 68 + 1)) ] || fail "suppressed cells not missing"
