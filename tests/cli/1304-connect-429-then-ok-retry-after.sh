# 429 with Retry-After (seconds, then an HTTP date) twice, then the answer: the refresh waits as
# told and succeeds.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
add_nidi
expect_exit 0
mode 429:2
start=$(date +%s)
sol refresh nidi
expect_exit 0; expect_out '^nidi,new-version,1,22,0,0$'
[ $(( $(date +%s) - start )) -ge 2 ] || fail "Retry-After: 1 was not honoured"
grep -c 'GET /SDMXWS/rest/data/' "$T/replay.log" | grep -qx 3 || fail "expected 3 data requests"
mode 429date:1
sol refresh nidi
expect_exit 0; expect_out '^nidi,(not-modified|unchanged),'
