# sdmx read: a cut XML message, a word instead of a number, a short CSV row and a structure
# message given as data each fail with the place and what was wrong; nothing on stdout.
S=$TOP/tests/data/sdmx
head -c 3000 "$S/ECB_EXR/ng-ts.xml" >"$T/cut.xml"
sol sdmx read "$T/cut.xml"
expect_exit 1
expect_err 'cut\.xml:[0-9]+:[0-9]+: the XML is not well formed'
[ ! -s "$T/out" ] || fail "output despite the error"
printf 'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,TIME_PERIOD,OBS_VALUE\ndataflow,E:X(1.0),I,A,2020,1\ndataflow,E:X(1.0),I,A,2021,abc\n' >"$T/v.csv"
sol sdmx read "$T/v.csv"
expect_exit 1; expect_err "v\.csv:3:28: expected an OBS_VALUE number, found 'abc'"
printf 'DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE\nE:X(1.0),A,2020\n' >"$T/short.csv"
sol sdmx read "$T/short.csv"
expect_exit 1; expect_err 'short\.csv:2'
sol sdmx read "$S/ISTAT/22_289-structure.xml"
expect_exit 1; expect_err 'structure message, not data'
sol sdmx read "$T/none.xml"
expect_exit 1; expect_err 'cannot read .*none\.xml'
