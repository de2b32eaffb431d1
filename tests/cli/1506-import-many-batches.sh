# An import of more rows than one batch (16,384 on PostgreSQL, 256 on a file): every value is
# exported as given, and a duplicate in the third batch is named at its own line with the store
# unchanged.
with_regions
awk 'BEGIN { print "reg_code,year,indicator,value";
    for (i = 0; i < 40; i++) for (y = 1970; y < 2020; y++) for (r = 1; r <= 20; r++)
        printf "%02d,%d,ind%02d,%d.5\n", r, y, i, i * 1000 + y + r }' >"$T/many.csv"
snapshot
# line 35,002: the value of line 2 a second time
{ head -n 35001 "$T/many.csv"; sed -n 2p "$T/many.csv"; tail -n +35002 "$T/many.csv"; } >"$T/dup.csv"
sol import data "$T/dup.csv" --area-field reg_code --period-field year --indicator-field indicator
expect_exit 1
expect_err "dup.csv:35002:[0-9]+: a second value for the same \(area, period, indicator\)"
expect_unchanged
sol import data "$T/many.csv" --area-field reg_code --period-field year --indicator-field indicator
expect_exit 0; expect_err "40000 observations written"
sol export data --out "$T/x.csv"; expect_exit 0
tail -n +2 "$T/many.csv" | LC_ALL=C sort >"$T/want"
tail -n +2 "$T/x.csv" | cut -d, -f1-4 | LC_ALL=C sort >"$T/got"
cmp -s "$T/want" "$T/got" || fail "the export differs from the file: $(diff "$T/want" "$T/got" | head -5)"

