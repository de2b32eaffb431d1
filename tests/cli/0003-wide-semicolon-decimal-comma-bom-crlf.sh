# Wide CSV as spreadsheets export it: BOM, semicolons, decimal comma, CRLF, quoted fields, NA.
with_regions
printf '\xef\xbb\xbfcode;name;income;"poverty rate"\r\n01;"Piemonte; Nord";23405,1;7,5\r\n12;Lazio;NA;9\r\n' >"$T/w.csv"
sol import data "$T/w.csv" --area-field code --period 2021
expect_exit 0
expect_err "3 observations written, 2 indicators \(2 new\), 1 periods, 1 missing values left out"
expect_err "non-numeric columns left out: name"
sol export data; expect_out '^01,2021,income,23405.099999999999,,$'; expect_out '^12,2021,poverty rate,9,,$'
