# Network failures, each with a clear message and the store unchanged: a 429 storm (gives up
# after the retries), 500s, a truncated body, an oversized body (--max-size), a redirect to another
# host, a slow answer (--timeout), a refused connection, an SDMX error message with its text.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
add_nidi
expect_exit 0
snapshot
export SOLIDATA_HTTP_MAX_RETRIES=2
mode 429:999
sol refresh nidi
expect_exit 1; expect_err "127.0.0.1 answered HTTP 429 3 times in a row: Too Many Requests: giving up; try again later"; expect_unchanged
mode 500:999
sol refresh nidi
expect_exit 1; expect_err "answered HTTP 500 3 times in a row: Internal Server Error the database is restarting"; expect_unchanged
mode truncated
sol refresh nidi
expect_exit 1; expect_err "the answer of 127.0.0.1 was cut short"; expect_unchanged
mode oversized
sol refresh nidi --max-size 100000
expect_exit 1; expect_err "the answer of 127.0.0.1 exceeds the cap of 100000 bytes, so the download was stopped"; expect_unchanged
mode normal
sol refresh nidi --max-size 1000
expect_exit 1; expect_err "exceeds the cap of 1000 bytes"; expect_unchanged
mode redirect
sol refresh nidi
expect_exit 1; expect_err "127.0.0.1 redirected the request to http://localhost, another host than the provider's: not followed"; expect_unchanged
mode slow
start=$(date +%s)
SOLIDATA_HTTP_MAX_RETRIES=0 sol refresh nidi --timeout 1
expect_exit 1; expect_err "no complete answer from 127.0.0.1 within 1 s"; expect_unchanged
[ $(( $(date +%s) - start )) -lt 8 ] || fail "the timeout was not honoured"
mode sdmxerror
sol refresh nidi
expect_exit 1; expect_err "127.0.0.1 answered HTTP 404: No Results Found"; expect_unchanged
kill $REPLAY_PID; wait $REPLAY_PID 2>/dev/null || true
sol refresh nidi
expect_exit 1; expect_err "127.0.0.1 refused the connection or cannot be reached"; expect_unchanged
