# index_lib.sh - helpers of the composite-index CLI tests (04NN-index-*.sh source it after lib.sh).
REF=$TOP/tests/data
# the 12 BES indicators of tests/data/index_bes2019 (R reference): health, work, safety, environment
BES12=01SAL001,01SAL004,01SAL006,03LAV001-N22,03LAV002-N22,03LAV004P,07SIC001P,07SIC006P,07SIC008P,10AMB008,10AMB016,10AMB017
# a store with the 20 regions and the BES indicators, with polarity and domain from their metadata
with_bes() {
    with_regions
    sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
        --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" \
        --licence "CC BY 3.0" --attribution "Fonte: Istat"
    expect_exit 0
}
# close_to GOT KEYS GCOL WANT WKEYS WCOL RTOL: the rows of CSV GOT and CSV WANT are joined on their
# first KEYS (WKEYS) columns; column GCOL of GOT must be within RTOL (relative) of column WCOL of
# WANT on every row of WANT. Quotes are dropped (no field here holds a comma). Prints the count.
close_to() {
    awk -F, -v gk="$2" -v gc="$3" -v wk="$5" -v wc="$6" -v tol="$7" '
        { gsub(/"/, "") }
        FNR == 1 { next }
        FNR == NR { k = $1; for (i = 2; i <= gk; i++) k = k SUBSEP $i; got[k] = $gc; next }
        { k = $1; for (i = 2; i <= wk; i++) k = k SUBSEP $i; n++
          if (!(k in got)) { bad++; print "  missing row " $1 > "/dev/stderr"; next }
          a = got[k] + 0; b = $wc + 0; d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
          if (d > tol * m) { bad++; if (bad < 5) print "  " $1 ": got " got[k] ", want " $wc > "/dev/stderr" } }
        END { if (bad) { print bad " differ"; exit 1 } print n + 0 }' "$1" "$4"
}
# expect_refused MESSAGE: exit 1 with MESSAGE on stderr, one "solidata:" prefix, no run recorded
expect_refused() {
    expect_exit 1
    expect_err "$1"
    grep -q "index: index:" "$T/err" && fail "doubled prefix"
    [ "$(wc -l <"$T/err")" -le 2 ] || fail "more than one error line"
    [ -s "$T/out" ] && fail "something on stdout"
    sol runs
    expect_exit 0
    expect_lines 1
}
