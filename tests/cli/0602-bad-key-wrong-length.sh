# a key file of the wrong length, or not hex, is refused
printf '0123456789abcdef\n' >"$T/short.key"; chmod 600 "$T/short.key"
printf 'id,x\n1,2\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/short.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "short.key: a key file holds 64 hex characters .* this one 17 bytes"
printf '%064d\n' 0 | tr 0 z >"$T/nothex.key"; chmod 600 "$T/nothex.key"
sol pseudonymise --key-file "$T/nothex.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "hex characters only"
