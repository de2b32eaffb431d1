with_regions; snapshot
printf 'code,name,v\n01,Piemonte,1\n12,Citt\xe0,2\n' >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020 --encoding utf-8
expect_exit 1; expect_err "b.csv:3:8: invalid UTF-8 byte 0xE0; save the file as UTF-8"; expect_unchanged
# without --encoding, such a file is Excel's Windows-1252: converted, and said (tests/cli/1102)
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 0; expect_err "b.csv: the text is in Windows-1252 \(detected\), converted to UTF-8"
with_regions; snapshot
# a NUL byte inside a field is refused, not a field cut short
printf 'code,name,v\n01,Pie\000monte,1\n' >"$T/nul.csv"
sol import data "$T/nul.csv" --area-field code --period 2020
expect_exit 1; expect_err "nul.csv:2:7: a NUL byte inside a field"; expect_unchanged
