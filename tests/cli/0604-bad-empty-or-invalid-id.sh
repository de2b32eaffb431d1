# an empty id, or one invalid for its normalisation, is an error at file:line:column
sol keygen --out "$T/k.key"; expect_exit 0
printf 'x,cf\n1,RSSMRA85T10A562S\n2,\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale "$T/in.csv"
expect_exit 1; expect_err "in.csv:3:3: empty id in the id column 'cf'"
printf 'x,cf\n1,RSSMRA85T10A562T\n' >"$T/bad.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale "$T/bad.csv"
expect_exit 1; expect_err "bad.csv:2:3: not a codice fiscale: wrong check character"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale --skip-invalid "$T/bad.csv"
expect_exit 0; expect_lines 1; expect_err "1 skipped as invalid ids"
