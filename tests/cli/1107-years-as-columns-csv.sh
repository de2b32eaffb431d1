# A wide CSV whose value columns are years is a long table (area, period, value) of one
# indicator (--indicator, or the file's name): before, three indicators dated the same year.
with_regions
printf 'code,name,2019,2020,2021 (p)\n01,Piemonte,10,11,12\n12,Lazio,20,,22\n' >"$T/aiuti_famiglie.csv"
sol import data "$T/aiuti_famiglie.csv" --area-field code
expect_exit 0
expect_err "layout: years as columns"
expect_err "years as columns: 3 year columns read as periods of one indicator, 'aiuti_famiglie'"
expect_err "5 observations written, 1 indicators \(1 new\), 3 periods, 1 missing values"
sol export data
expect_out '^01,2021,aiuti_famiglie,12,,provisional$'; expect_out '^12,2019,aiuti_famiglie,20,,$'
# a wide table with one column that is not a year stays wide
printf 'code,2019,pop\n01,10,100\n' >"$T/w.csv"
sol import data "$T/w.csv" --area-field code --period 2019
expect_exit 0; expect_err "layout: wide"
# another code column (whole numbers, one per row) beside the area's is not a measure
printf 'istat;code;2015;2016\n1001;01;10;11\n12058;12;20;21\n' >"$T/codici.csv"
sol import data "$T/codici.csv" --area-field code --indicator aiuti --source codici
expect_exit 0; expect_err "years as columns: 2 year columns"
sol export data; expect_out '^12,2016,aiuti,21,,$'
