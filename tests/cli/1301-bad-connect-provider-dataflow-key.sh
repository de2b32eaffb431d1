# Bad connectors: an unknown provider (close names listed), an unknown dataflow (the provider's
# 404 and close ids), a key with the wrong number of dimensions (how many, which), a geographic
# dimension that does not exist; the store unchanged after each.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init; snapshot
sol connect add x --sdmx ISTATT/47_850 --key A
expect_exit 1; expect_err "unknown provider 'ISTATT': did you mean ISTAT"; expect_unchanged
sol connect add x --sdmx EUROSTATS/nama_10_gdp
expect_exit 1; expect_err "unknown provider 'EUROSTATS'.*known: ISTAT, ESTAT, INSEE, OECD, ECB, ILO, UNICEF"; expect_unchanged
sol connect add x --sdmx ISTAT/47_85 --key A
expect_exit 1; expect_err "Istat has no dataflow '47_85': did you mean 47_850\?"; expect_unchanged
sol connect add x --sdmx ISTAT/47_850 --key A.001001.AUTP.ALL.ALL
expect_exit 1
expect_err "the key 'A.001001.AUTP.ALL.ALL' has 5 parts but dataflow 47_850 of Istat has 6 dimensions: FREQ.REF_AREA.DATA_TYPE.TYPE_SOCIO_EDUC_SERVICE.TYPE_MANAGEMENT.HOLDER_SECTOR_PUBPRIV"
expect_unchanged
sol connect add x --sdmx ISTAT/47_850 --key A.001001.AUTP.ALL.ALL.1 --area-dim GEO
expect_exit 1; expect_err "dataflow 47_850 has no geographic dimension GEO: give it with --area-dim"; expect_unchanged
sol connect add x --sdmx ISTAT/47_850 --key 'A/../x'
expect_exit 1; expect_err "the character '/' is not allowed"; expect_unchanged
sol connect add x --sdmx 47_850
expect_exit 2; expect_err "expected PROVIDER/DATAFLOW"
sol connect add x --sdmx ISTAT/47_850 --every 3 days
expect_exit 2
sol connect add x --sdmx ISTAT/47_850 --every 3y
expect_exit 2; expect_err "expected a number and a unit"; expect_unchanged
sol refresh nosuch
expect_exit 1; expect_err "no connector called 'nosuch'"; expect_unchanged
# a good one, then the same name again
add_nidi
expect_exit 0
snapshot
add_nidi
expect_exit 1; expect_err "a connector called 'nidi' exists"; expect_unchanged
