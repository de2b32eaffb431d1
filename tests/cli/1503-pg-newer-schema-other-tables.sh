# PostgreSQL: a store of a newer schema is refused, as a file is; a database holding other
# tables (and no solidata_meta) is not taken for a store; both left unchanged.
pg_only
with_regions
store_sql "UPDATE solidata_meta SET user_version = 99"
snapshot
sol areas; expect_exit 1; expect_err "store schema version 99 is newer than this solidata"
expect_unchanged
store_sql "UPDATE solidata_meta SET user_version = 12"
sol areas; expect_exit 0
# another application's database
db=t_1503_other
pg_admin "DROP DATABASE IF EXISTS $db" >/dev/null
pg_admin "CREATE DATABASE $db TEMPLATE solidata_template" >/dev/null
at_exit "pg_drop_db $db >/dev/null"
DB=${PG_ADMIN%/postgres}/$db
store_sql "CREATE TABLE invoices (id int PRIMARY KEY, total numeric); INSERT INTO invoices VALUES (1, 2)"
snapshot
sol init; [ "$rc" != 0 ] || fail "another application's database was taken for a store"
expect_err "not a solidata store \(a PostgreSQL database with other tables\)"
expect_unchanged
