# A connector on Istat's real recorded answer (47_850, two Piedmont municipalities): the first
# refresh writes version 1 (22 values); the second writes nothing (the replay answers 304 to the
# conditional request; only the check is recorded); a revised answer (Agliè 2023: 20 -> 25, made
# by tests/data/connect/make_revised.py) gives version 2 with one revision, listed with the
# emerging needs and in the audit log.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
printf 'code,name\n001001,Agliè\n001002,Airasca\n' >"$T/names.csv"
add_nidi --area-names "$T/names.csv"
expect_exit 0; expect_err "'nidi' added"
sol connect list
expect_exit 0; expect_out '^nidi,ISTAT,47_850,A.001001\+001002.AUTP.ALL.ALL.1,'
sol refresh nidi
expect_exit 0; expect_out '^nidi,new-version,1,22,0,0$'
expect_err "version 1: 22 values added, 0 revised, 0 removed"; expect_err "2 areas added"
sol catalog
expect_out 'nidi,1,current,sdmx,http://127.0.0.1:[0-9]+/SDMXWS/rest/data/47_850/A.001001\+001002.AUTP.ALL.ALL.1,CC BY 3.0 IT,Istat'
sol export data --indicator 47_850.AUTP.ALL.ALL.1
grep -q '001001.*2023.*20' "$T/out" || sol export data
A=$(data_digest); snapshot
# second time: a conditional request, 304, nothing written
sol refresh nidi
expect_exit 0; expect_out '^nidi,not-modified,'; expect_err "nothing changed, nothing written"
[ "$(data_digest)" = "$A" ] || fail "the data changed on a 304"
grep -c 'GET /SDMXWS/rest/data/' "$T/replay.log" | grep -qx 2 || fail "expected 2 data requests"
# same bytes without an ETag: the SHA-256 tells it unchanged
mode noetag
sol refresh nidi
expect_exit 0; expect_out '^nidi,unchanged,'; expect_err "same content as last time"
[ "$(data_digest)" = "$A" ] || fail "the data changed on the same content"
# the revised answer
mode revised
sol refresh nidi
expect_exit 0; expect_out '^nidi,new-version,2,0,1,0$'
expect_err "Agliè \(001001\), 47_850.AUTP.ALL.ALL.1, 2023: 20 -> 25"; expect_err "emerging needs"
sol alerts --latest
expect_exit 0
expect_out '^revision,001001,Agliè,47_850.AUTP.ALL.ALL.1,2023,"revised by Istat on [0-9]+ [A-Z][a-z]+ 20[0-9][0-9]: 20 → 25 \(Agliè, Socio-educational services for infancy day-care \(AUTP, ALL, ALL, 1\), 2023\)"'
sol alerts --latest --lang it
expect_out 'Agliè, Servizi socio-educativi per la prima infanzia'
sol audit list
expect_out 'connector.revision'
sol connect show nidi
expect_out '"last_outcome":"new-version"'; expect_out '"revised":1'
