# A malformed answer: the parser's message with its line, nothing written. --offline with an
# empty cache: a clear error; after one refresh, --offline answers from the cache.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
add_nidi
expect_exit 0
snapshot
mode malformed
sol refresh nidi
expect_exit 1; expect_err "47_850/A.001001\+001002.AUTP.ALL.ALL.1:3:[0-9]+: the XML is not well formed"; expect_unchanged
rm -rf "$SOLIDATA_CACHE"
sol refresh nidi --offline
expect_exit 1; expect_err "offline, and http://127.0.0.1:[0-9]+/.* is not in the download cache .*: run once without --offline"; expect_unchanged
mode normal
sol refresh nidi
expect_exit 0
kill $REPLAY_PID; wait $REPLAY_PID 2>/dev/null || true
sol refresh nidi --offline
expect_exit 0; expect_out '^nidi,unchanged,'
