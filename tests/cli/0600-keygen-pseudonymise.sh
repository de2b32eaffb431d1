# keygen writes 64 hex characters mode 0600 and never overwrites; pseudonymise keys the
# normalised id (one person, one pseudonym), drops declared identifiers and reports on stderr.
sol keygen --out "$T/k.key"; expect_exit 0
[ "$(stat -c %a "$T/k.key")" = 600 ] || fail "key mode $(stat -c %a "$T/k.key")"
grep -qE '^[0-9a-f]{64}$' "$T/k.key" || fail "key is not 64 hex characters"
cp "$T/k.key" "$T/k.copy"
sol keygen --out "$T/k.key"; expect_exit 1; expect_err "already exists"
cmp -s "$T/k.key" "$T/k.copy" || fail "the key was overwritten"
printf 'cf,nome,telefono,comune\nRSSMRA85T10A562S,Mario,333,Roma\n rssmra85t10a562s ,Mario,333,Roma\n' >"$T/in.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale --drop nome "$T/in.csv"
expect_exit 0
expect_lines 3
head -1 "$T/out" | grep -qx 'cf,telefono,comune' || fail "header"
[ "$(sed -n 2p "$T/out" | cut -d, -f1)" = "$(sed -n 3p "$T/out" | cut -d, -f1)" ] || fail "one person, two pseudonyms"
sed -n 2p "$T/out" | grep -qE '^[0-9a-f]{64},333,Roma$' || fail "row"
grep -q Mario "$T/out" && fail "a dropped name is in the output"
expect_err "dropped columns \(1\): nome"
expect_err "warning: kept column 'telefono' looks like a direct identifier"
# the pseudonym is HMAC-SHA-256(key, normalised id): check with openssl when present
if command -v openssl >/dev/null; then
    want=$(printf 'RSSMRA85T10A562S' | openssl dgst -sha256 -mac HMAC -macopt hexkey:"$(cat "$T/k.key")" | awk '{print $NF}')
    [ "$(sed -n 2p "$T/out" | cut -d, -f1)" = "$want" ] || fail "pseudonym is not the HMAC of the id"
fi
