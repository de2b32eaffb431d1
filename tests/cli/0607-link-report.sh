# link: inner join of two pseudonymised files with a report of matches and duplicates
sol keygen --out "$T/k.key"; expect_exit 0
printf 'cf,eta\nRSSMRA85T10A562S,40\nBNCNNA80A41H501R,44\nBNCNNA80A41H501R,44\n' >"$T/a.csv"
printf 'cf,sussidio\nrssmra85t10a562s,affitto\nVRDGPP70C10F205B,spesa\n' >"$T/b.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf "$T/a.csv"; expect_exit 0; cp "$T/out" "$T/pa.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise none "$T/b.csv"; expect_exit 0; cp "$T/out" "$T/pb.csv"
# without normalisation the lower-case id is another person: no match
sol link --left "$T/pa.csv" --right "$T/pb.csv" --on cf; expect_exit 0; expect_lines 1
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale "$T/a.csv"; expect_exit 0; cp "$T/out" "$T/pa.csv"
sol pseudonymise --key-file "$T/k.key" --id-column cf --normalise codice_fiscale "$T/b.csv"; expect_exit 0; cp "$T/out" "$T/pb.csv"
sol link --left "$T/pa.csv" --right "$T/pb.csv" --on cf --out "$T/l.csv"; expect_exit 0
head -1 "$T/l.csv" | grep -qx 'cf,eta,sussidio' || fail "header"
[ "$(wc -l <"$T/l.csv")" = 2 ] || fail "one linked row expected"
grep -qE '^[0-9a-f]{64},40,affitto$' "$T/l.csv" || fail "linked row"
expect_err "left 3 rows \(1 matched, 2 unmatched, 1 repeating a key\)"
expect_err "right 2 rows \(1 matched, 1 unmatched, 0 repeating a key\)"
