# sdmx: --help on each sub-command, usage errors for a missing sub-command, file or bad --format.
sol sdmx read --help
expect_exit 0; expect_out 'Usage|usage'; expect_out '--format'; expect_out 'OBS_STATUS'
sol sdmx structure --help
expect_exit 0; expect_out '--lang'
sol sdmx
expect_exit 2
sol sdmx read
expect_exit 2
sol sdmx read x.xml --format yaml
expect_exit 2; expect_err 'format'
sol sdmx structure x.xml --lang de
expect_exit 2; expect_err 'lang'
