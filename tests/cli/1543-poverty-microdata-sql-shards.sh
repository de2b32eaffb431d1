# poverty and mpi --microdata-sql on a table partitioned by area over two shard servers
# (PostgreSQL's declarative partitioning, postgres_fdw foreign partitions, async_capable): the
# estimates equal those of one server holding every row, and each shard aggregates its own rows.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
COLS='db030 text, hsize int, db040 text, rb030 int, age int, rb090 text, pl030 text, pb220a text,
    "eqSS" float8, "eqIncome" float8, db090 float8, rb050 float8'
WEST="'Tyrol', 'Vorarlberg', 'Salzburg', 'Carinthia', 'Upper Austria'"
EAST="'Vienna', 'Lower Austria', 'Burgenland', 'Styria'"
pg_start one
pg_start s1
pg_start s2
pg_start co
pg_load one eusilc "$F" "$COLS"
for s in s1 s2; do
    pg_load $s eusilc_all "$F" "$COLS"
done
pg_sql s1 "CREATE TABLE eusilc_part AS SELECT * FROM eusilc_all WHERE db040 IN ($WEST);
    ALTER TABLE eusilc_part OWNER TO solidata; DROP TABLE eusilc_all"
pg_sql s2 "CREATE TABLE eusilc_part AS SELECT * FROM eusilc_all WHERE db040 IN ($EAST);
    ALTER TABLE eusilc_part OWNER TO solidata; DROP TABLE eusilc_all"
port() { sed 's|.*@127.0.0.1:\([0-9]*\)/.*|\1|' <<<"$1"; }
pg_sql co "CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1',
        port '$(port "$PG_URL_s1")', dbname 'solidata', async_capable 'true');
    CREATE SERVER s2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1',
        port '$(port "$PG_URL_s2")', dbname 'solidata', async_capable 'true');
    CREATE USER MAPPING FOR solidata SERVER s1 OPTIONS (user 'solidata', password 'solidata');
    CREATE USER MAPPING FOR solidata SERVER s2 OPTIONS (user 'solidata', password 'solidata');
    CREATE TABLE eusilc ($COLS) PARTITION BY LIST (db040);
    CREATE FOREIGN TABLE eusilc_west PARTITION OF eusilc FOR VALUES IN ($WEST) SERVER s1
        OPTIONS (table_name 'eusilc_part');
    CREATE FOREIGN TABLE eusilc_east PARTITION OF eusilc FOR VALUES IN ($EAST) SERVER s2
        OPTIONS (table_name 'eusilc_part');
    ALTER TABLE eusilc OWNER TO solidata; ALTER TABLE eusilc_west OWNER TO solidata;
    ALTER TABLE eusilc_east OWNER TO solidata"
for design in "--by db040 --strata db040 --psu db030" "--by db040 --line 9000" "--by db040 --strata rb090"; do
    sol poverty --microdata-sql "$PG_URL_one?table=eusilc" --weight rb050 --income eqIncome $design --json
    expect_exit 0
    cp "$T/out" "$T/one.json"
    sol poverty --microdata-sql "$PG_URL_co?table=eusilc" --weight rb050 --income eqIncome $design --json
    expect_exit 0
    same_json "$T/one.json" "$T/out"
    # and both equal the in-memory estimates on the file
    sol poverty --microdata "$F" --weight rb050 --income eqIncome $design --json
    same_json "$T/out" "$T/one.json"
done
cat >"$T/spec.json" <<'JSON'
{"k": 0.4, "indicators": [
  {"column": "eqIncome", "dimension": "income", "weight": 0.5, "deprived_if": "< 10859.236"},
  {"column": "hsize", "dimension": "housing", "weight": 0.25, "deprived_if": ">= 5"},
  {"column": "age", "dimension": "health", "weight": 0.25, "deprived_if": ">= 75"}]}
JSON
sol mpi --microdata-sql "$PG_URL_one?table=eusilc" --spec "$T/spec.json" --weight rb050 --by db040 --psu db030
expect_exit 0
cp "$T/out" "$T/one.json"
sol mpi --microdata-sql "$PG_URL_co?table=eusilc" --spec "$T/spec.json" --weight rb050 --by db040 --psu db030
expect_exit 0
same_json "$T/one.json" "$T/out"
# the shards aggregate: the plan of a per-area sum is an aggregate pushed to each foreign server
psql -X -At "$PG_URL_co" -c "SET enable_partitionwise_aggregate = on" \
    -c "EXPLAIN (VERBOSE) SELECT db040, count(*), sum(rb050::numeric) FROM eusilc GROUP BY db040" \
    >"$T/plan" 2>&1 || fail "EXPLAIN: $(cat "$T/plan")"
grep -q 'Async Foreign Scan' "$T/plan" || fail "no async foreign scan: $(cat "$T/plan")"
[ "$(grep -c 'Relations: Aggregate on' "$T/plan")" = 2 ] || fail "aggregates not pushed: $(cat "$T/plan")"
