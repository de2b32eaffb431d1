# Area codes of the answer that are not areas of the store are listed and nothing is written;
# --skip-unknown-areas counts them instead (here all of them: an error that writes nothing, the
# codes named); areas imported first are matched.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
sol connect add nidi --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1
expect_exit 0
snapshot
sol refresh nidi
expect_exit 1
expect_err "2 area codes of dimension REF_AREA are not in the store: 001001, 001002; import those areas first, or add the connector again with --add-areas"
expect_err "refresh nidi: failed, nothing written"
expect_unchanged
sol connect add nidi2 --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1 --skip-unknown-areas
expect_exit 0; snapshot
sol refresh nidi2
expect_exit 1; expect_err "answered 22 observations but none for an area of the store; unknown codes: 001001, 001002"
expect_unchanged
