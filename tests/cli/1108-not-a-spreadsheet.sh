# A file that is neither a table nor a workbook: a clear error, not a UTF-8 complaint.
with_regions; snapshot
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01' >"$T/photo.xlsx"
sol import data "$T/photo.xlsx" --area-field code --period 2020
expect_exit 1
expect_err "photo.xlsx: this is not a spreadsheet: the file holds a PNG image \(renamed\?\)"
expect_unchanged
printf 'code,v\n01,1\n' >"$T/text.xlsx"
sol import data "$T/text.xlsx" --area-field code --period 2020
expect_exit 1; expect_err "text.xlsx: this is not a spreadsheet \(an XLSX or ODS file is a zip archive\)"
printf '\xff\xfec\0o\0d\0e\0' >"$T/u16.csv"
sol import data "$T/u16.csv" --area-field code --period 2020
expect_exit 1; expect_err "u16.csv:1:1: this text is in UTF-16"
printf 'PK\x03\x04broken' >"$T/broken.xlsx"
sol import data "$T/broken.xlsx" --area-field code --period 2020
expect_exit 1; expect_err "broken.xlsx: cannot read this xlsx workbook"
expect_unchanged
