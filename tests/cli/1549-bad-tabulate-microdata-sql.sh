# tabulate --microdata-sql, bad input: a missing mapped column (which one, and the table's
# columns), an unreachable server, a wrong password (never printed), a negative weight, a file
# and a table at once, an agency's functions.
. "$TOP/tests/cli/pgmicro_lib.sh"
pg_start a
printf 'area,sex,w\nA,f,1\nA,m,2\nB,f,1\n' >"$T/m.csv"
pg_load a persons "$T/m.csv" 'area text, sex text, w float8'
U="$PG_URL_a?table=persons"
sol tabulate --microdata-sql "$U" --rows region --out "$T/t.csv"
expect_exit 1
expect_err "has no column 'region' \(the rows, --rows\); its columns are: area, sex, w"
sol tabulate --microdata-sql "$U" --rows area --cols gender --out "$T/t.csv"
expect_exit 1
expect_err "has no column 'gender' \(the columns, --cols\)"
sol tabulate --microdata-sql "$U" --rows area --weight wt --out "$T/t.csv"
expect_exit 1
expect_err "has no column 'wt' \(the weight, --weight\)"
sol tabulate --microdata-sql "postgresql://solidata:solidata@127.0.0.1:1/solidata?table=persons" \
    --rows area --out "$T/t.csv"
expect_exit 1
expect_err 'cannot reach the PostgreSQL server 127.0.0.1:1/solidata'
bad=$(sed 's/solidata:solidata@/solidata:Secret-Wrong-42@/' <<<"$U")
sol tabulate --microdata-sql "$bad" --rows area --out "$T/t.csv"
expect_exit 1
expect_err 'refused the user name or the password'
if grep -q 'Secret-Wrong-42' "$T/err" "$T/out"; then fail "the password was printed"; fi
sol tabulate --microdata-sql "$U" --microdata "$T/m.csv" --rows area --out "$T/t.csv"
expect_exit 2
sol tabulate --microdata-sql "${PG_URL_a}?agency=solidata_fed" --rows area --out "$T/t.csv"
expect_exit 1
expect_err 'reads a table \(\?table=\)'
pg_sql a "INSERT INTO persons VALUES ('B', 'm', -1)"
sol tabulate --microdata-sql "$U" --rows area --weight w --out "$T/t.csv"
expect_exit 1
expect_err '1 rows of table "persons" have a weight that is missing, negative'
