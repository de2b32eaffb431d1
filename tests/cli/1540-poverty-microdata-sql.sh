# poverty --microdata-sql: the eusilc microdata COPYed into PostgreSQL give, from aggregates only,
# every output column of the in-memory path on the CSV (1e-12 relative), whatever the design.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
pg_start a
pg_load a eusilc "$F" 'db030 text, hsize int, db040 text, rb030 int, age int, rb090 text, pl030 text,
    pb220a text, "eqSS" float8, "eqIncome" float8, db090 float8, rb050 float8'
U="$PG_URL_a?table=public.eusilc"
for design in "--by db040 --strata db040 --psu db030" "--by db040" "--strata db040 --psu db030" \
    "--by rb090 --strata rb090" "--by db040 --line 9000 --psu db030" \
    "--by pb220a --strata db040 --psu db030 --lonely-psu remove" "--by db040 --line-share 0.5"; do
    sol poverty --microdata "$F" --weight rb050 --income eqIncome $design --json
    expect_exit 0
    cp "$T/out" "$T/mem.json"
    sol poverty --microdata-sql "$U" --weight rb050 --income eqIncome $design --json
    expect_exit 0
    same_json "$T/mem.json" "$T/out"
done
# the CSV output too, and laeken's published total
sol poverty --microdata-sql "$U" --weight rb050 --income eqIncome --by db040 --strata db040 --psu db030
expect_exit 0
expect_lines 11
expect_out '^total,14827,8182222(\.[0-9]+)?,18098.7266666666[0-9]*,10859.23599999999[0-9]*,0.144442181675[0-9]*,'
# a view works as a table (an agency's equivalised income made in the database)
pg_sql a "CREATE VIEW persons AS SELECT db040 AS area, rb050 AS w, \"eqIncome\" AS inc FROM eusilc;
    ALTER VIEW persons OWNER TO solidata"
sol poverty --microdata-sql "$PG_URL_a?table=persons" --weight w --income inc --by area --json
expect_exit 0
cp "$T/out" "$T/view.json"
sol poverty --microdata "$F" --weight rb050 --income eqIncome --by db040 --json
sed 's/"db040"/"area"/' "$T/out" >"$T/mem.json"
same_json "$T/mem.json" "$T/view.json"
