# sdmx read --structure: the DSD says which components are dimensions; --out writes a file and says
# how many observations it holds.
S=$TOP/tests/data/sdmx
sol sdmx read "$S/ISTAT/47_850-data.xml" --structure "$S/ISTAT/47_850-structure.xml" --out "$T/o.csv"
expect_exit 0
expect_err '22 observations \(generic\) in .*o\.csv'
[ "$(wc -l <"$T/o.csv")" = 23 ] || fail "expected 23 lines"
head -n 1 "$T/o.csv" | grep -qx 'FREQ,REF_AREA,DATA_TYPE,TYPE_SOCIO_EDUC_SERVICE,TYPE_MANAGEMENT,HOLDER_SECTOR_PUBPRIV,TIME_PERIOD,OBS_VALUE,OBS_STATUS' ||
    fail "header: $(head -n 1 "$T/o.csv")"
sol sdmx read "$S/v3/csv/example-01.csv" --structure "$S/ISTAT/47_850-structure.xml"
expect_exit 1; expect_err "no dimension"
