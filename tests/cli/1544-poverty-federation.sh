# poverty over a federation of two agencies (issue 21 item 6): each keeps its own eusilc regions
# in its own database and serves only the aggregates of 'microdata agency-sql'; the federated
# estimates equal those of the file holding both agencies' rows, every column at 1e-12 relative,
# but the total's Gini (a Gini needs the rows of both agencies in one order: empty, and said so
# in docs/microdata-sql.md). One agency holding every row gives the total's Gini too.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
WEST="'Tyrol', 'Vorarlberg', 'Salzburg', 'Carinthia', 'Upper Austria'"
fed_agency west "db040 IN ($WEST)"
fed_agency east "db040 NOT IN ($WEST)"
for design in "--by db040 --strata db040" "--by db040" "--by db040 --line 9000 --strata db040" \
    "--by db040 --line-share 0.5"; do
    sol poverty --microdata "$F" --weight rb050 --income eqIncome $design --json
    expect_exit 0
    cp "$T/out" "$T/mem.json"
    sol poverty --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" \
        --weight rb050 --income eqIncome $design --json
    expect_exit 0
    same_json "$T/mem.json" "$T/out" '^\.domains\[9\]\.gini$'
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["domains"]
assert d[9]["domain"] == "total" and d[9]["gini"] is None, d[9]' "$T/out" ||
        fail "the total's Gini should be empty"
    # the order of the agencies does not matter (checked on the first design, with strata: each
    # run costs seconds of round trips, and the order enters the sums alike in every design)
    [ "$design" = "--by db040 --strata db040" ] || continue
    sol poverty --microdata-sql "$FED_URL_east" --microdata-sql "$FED_URL_west" \
        --weight rb050 --income eqIncome $design --json
    same_json "$T/mem.json" "$T/out" '^\.domains\[9\]\.gini$'
done
# without --by: the total alone
sol poverty --microdata "$F" --weight rb050 --income eqIncome --json
cp "$T/out" "$T/mem.json"
sol poverty --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --weight rb050 \
    --income eqIncome --json
expect_exit 0
same_json "$T/mem.json" "$T/out" '^\.domains\[0\]\.gini$'
# one agency with every row: every column, the Gini included
fed_agency all "true"
sol poverty --microdata "$F" --weight rb050 --income eqIncome --by db040 --strata db040 --json
cp "$T/out" "$T/mem.json"
sol poverty --microdata-sql "$FED_URL_all" --weight rb050 --income eqIncome --by db040 \
    --strata db040 --json
expect_exit 0
same_json "$T/mem.json" "$T/out"
# the CSV, and laeken's published total
sol poverty --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --weight rb050 \
    --income eqIncome --by db040 --strata db040
expect_exit 0
expect_lines 11
expect_out '^total,14827,8182222(\.[0-9]+)?,18098.7266666666[0-9]*,10859.23599999999[0-9]*,0.144442181675[0-9]*,'
