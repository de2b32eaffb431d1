# a key file of the wrong length, or not hex, is refused
printf '0123456789abcdef\n' >"$T/short.key"; chmod 600 "$T/short.key"
printf 'id,x\n1,2\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/short.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "short.key: a key file holds 64 hex characters .* this one 17 bytes"
printf '%064d\n' 0 | tr 0 z >"$T/nothex.key"; chmod 600 "$T/nothex.key"
sol pseudonymise --key-file "$T/nothex.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "hex characters only"
# an all-zero key is refused: anyone could recompute the pseudonyms
printf '%064d\n' 0 >"$T/zero.key"; chmod 600 "$T/zero.key"
sol pseudonymise --key-file "$T/zero.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "zero.key: the key is all zeros"
# a FIFO as key file is refused at once instead of waiting for a writer forever
mkfifo -m 600 "$T/fifo.key"
set +e; timeout 10 "$SOLIDATA" --db "$DB" pseudonymise --key-file "$T/fifo.key" --id-column id "$T/in.csv" >"$T/out" 2>"$T/err"; rc=$?; set -e
[ "$rc" != 124 ] || fail "pseudonymise waited on a FIFO key file"
expect_exit 1; expect_err "not a regular file"
