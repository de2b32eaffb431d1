# A database without PostGIS is refused with how to enable it, and left as it was.
pg_only
db=t_1502_plain
pg_admin "DROP DATABASE IF EXISTS $db" >/dev/null
pg_admin "CREATE DATABASE $db TEMPLATE template0" >/dev/null
at_exit "pg_drop_db $db >/dev/null"
DB=${PG_ADMIN%/postgres}/$db
sol init; expect_exit 1
expect_err "has no PostGIS"
expect_err "CREATE EXTENSION postgis;"
[ "$(store_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] || fail "tables were made"
sol --lang it init; expect_exit 1; expect_err "PostGIS"
grep -q "has no PostGIS" "$T/err" && fail "not in Italian: $(cat "$T/err")"
true
