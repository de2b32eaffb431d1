sol init; snapshot
sol import data "$T/nope.csv" --area-field code --period 2020
expect_exit 1; expect_err "nope.csv: cannot open: No such file or directory"; expect_unchanged
printf 'code,v\n' >"$T/r.csv"; chmod 000 "$T/r.csv"
if [ "$(id -u)" != 0 ]; then
    sol import data "$T/r.csv" --area-field code --period 2020
    expect_exit 1; expect_err "r.csv: cannot open: Permission denied"; expect_unchanged
fi
sol import areas "$T/nope.shp" --code-field code
expect_exit 1; expect_err "nope.shp: cannot open: No such file or directory"; expect_unchanged
