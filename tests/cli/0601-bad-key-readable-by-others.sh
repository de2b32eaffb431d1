# a key file readable by group or others is refused before any data is read
sol keygen --out "$T/k.key"; expect_exit 0
chmod 644 "$T/k.key"
printf 'id,x\n1,2\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/k.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "k.key: the key file is accessible to group or others \(mode 0644\)"
[ ! -s "$T/out" ] || fail "output written"
chmod 640 "$T/k.key"
sol pseudonymise --key-file "$T/k.key" --id-column id "$T/in.csv"
expect_exit 1; expect_err "chmod 600"
