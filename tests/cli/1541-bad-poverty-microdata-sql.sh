# poverty --microdata-sql, bad input: no table in the address, a missing table, a missing mapped
# column (named, with the table's columns), an unreachable server, a wrong password (never
# printed), options the pushed-down path does not take; each a clear message and exit 1 or 2.
. "$TOP/tests/cli/pgmicro_lib.sh"
pg_start a
printf 'area,w,inc\nA,1,100\nA,2,200\nB,1,300\nB,1,50\n' >"$T/m.csv"
pg_load a persons "$T/m.csv" 'area text, w float8, inc float8'
sol poverty --microdata-sql "$PG_URL_a" --weight w --income inc
expect_exit 1; expect_err 'names no table; add \?table=NAME'
sol poverty --microdata-sql "$PG_URL_a?table=nosuch" --weight w --income inc
expect_exit 1; expect_err 'no table or view "nosuch"'
sol poverty --microdata-sql "$PG_URL_a?table=persons" --weight w --income income --by area
expect_exit 1; expect_err "has no column 'income' \(the income\); its columns are: area, w, inc"
sol poverty --microdata-sql "$PG_URL_a?table=persons" --weight w --income inc --by region
expect_exit 1; expect_err "has no column 'region' \(the domain code\)"
# a port where nothing listens
sol poverty --microdata-sql "postgresql://solidata:solidata@127.0.0.1:1/solidata?table=persons" \
    --weight w --income inc
expect_exit 1; expect_err 'cannot reach the PostgreSQL server 127.0.0.1:1/solidata'
bad=$(printf '%s' "$PG_URL_a" | sed 's/solidata:solidata@/solidata:Secret-Wrong-42@/')
sol poverty --microdata-sql "$bad?table=persons" --weight w --income inc
expect_exit 1; expect_err 'refused the user name or the password'
if grep -q 'Secret-Wrong-42' "$T/err" "$T/out"; then fail "the password was printed"; fi
# what only the file path does
sol poverty --microdata-sql "$PG_URL_a?table=persons" --weight w --income inc --bootstrap 50
expect_exit 2; expect_err 'linearised SEs only'
sol poverty --microdata-sql "$PG_URL_a?table=persons" --microdata "$T/m.csv" --weight w --income inc
expect_exit 2; expect_err 'give one'
# a negative weight in the table
pg_sql a "INSERT INTO persons VALUES ('B', -1, 10)"
sol poverty --microdata-sql "$PG_URL_a?table=persons" --weight w --income inc
expect_exit 1; expect_err '1 rows of the table have a weight that is missing, negative'
