# Numbers as people write them: "2 521" (space, no-break space, narrow no-break space), "2.521"
# where the file's decimal mark is a comma, "1,234.5", "22,9 %" (the sign stripped, said);
# "1.234" with nothing to say which is asked with --decimal-mark.
with_regions
printf 'code;m\xc3\xa9nages;taux\n01;2 521;22,9 %%\n02;2\xc2\xa0521;7,5%%\n03;12\xe2\x80\xaf345;10 %%\n' >"$T/fr.csv"
sol import data "$T/fr.csv" --area-field code --period 2019
expect_exit 0
expect_err "6 observations written"
expect_err "values in percent \(the % sign removed\) in: taux"
sol export data
expect_out '^01,2019,ménages,2521,,$'; expect_out '^03,2019,ménages,12345,,$'
expect_out '^01,2019,taux,22.899999999999999,,$'
printf 'code;famiglie;quota\n04;2.521;1,5\n05;12.345.678;2,25\n' >"$T/it.csv"
sol import data "$T/it.csv" --area-field code --period 2019
expect_exit 0
sol export data; expect_out '^04,2019,famiglie,2521,,$'; expect_out '^05,2019,famiglie,12345678,,$'
printf 'code,households\n06,"1,234.5"\n07,"2,521"\n' >"$T/en.csv"
sol import data "$T/en.csv" --area-field code --period 2019
expect_exit 0
sol export data; expect_out '^07,2019,households,2521,,$'; expect_out '^06,2019,households,1234.5,,$'
# ambiguous: nothing in the file says whether 1.234 is 1234 or 1.234
printf 'code;v\n08;1.234\n09;2.500\n' >"$T/amb.csv"
sol import data "$T/amb.csv" --area-field code --period 2019
expect_exit 1
expect_err "amb.csv:2:4: '1.234' in column 'v' may be a whole number with a thousands separator or a decimal number; say which mark is the decimal one with --decimal-mark , or --decimal-mark ."
sol import data "$T/amb.csv" --area-field code --period 2019 --decimal-mark ,
expect_exit 0; expect_err "',' taken as the decimal mark"
sol export data; expect_out '^08,2019,v,1234,,$'
