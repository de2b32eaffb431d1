# link refuses files whose key column does not hold pseudonyms (raw identifiers)
printf 'cf,x\nRSSMRA85T10A562S,1\n' >"$T/a.csv"
printf 'cf,y\n%064d,2\n' 0 >"$T/b.csv"
sol link --left "$T/a.csv" --right "$T/b.csv" --on cf
expect_exit 1; expect_err "a.csv:2:1: 'cf' is not a pseudonym"
sol link --left "$T/b.csv" --right "$T/a.csv" --on cf
expect_exit 1; expect_err "a.csv:2:1: 'cf' is not a pseudonym"
sol link --left "$T/b.csv" --right "$T/b.csv" --on id
expect_exit 1; expect_err "b.csv:1: no column named 'id'"
