# a missing id column (or drop column) is an error naming the file and the header line
sol keygen --out "$T/k.key"; expect_exit 0
printf 'codice,x\nA,2\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf "$T/in.csv"
expect_exit 1; expect_err "in.csv:1: no column named 'cf' in the header \(--id-column\)"
sol pseudonymise --key-file "$T/k.key" --id-column codice --drop nome "$T/in.csv"
expect_exit 1; expect_err "in.csv:1: no column named 'nome' in the header \(--drop\)"
[ ! -s "$T/out" ] || fail "output written"
