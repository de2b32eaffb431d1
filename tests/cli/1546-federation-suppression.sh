# federation: suppression inside the agency. A domain of fewer than k rows is not returned: the
# output names it and its agency, and the estimates are those of the other rows. A design whose
# cells (PSUs) hold fewer than k rows gets its rates and SEs withheld, and says so.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
WEST="'Tyrol', 'Vorarlberg', 'Salzburg', 'Carinthia', 'Upper Austria'"
fed_agency west "db040 IN ($WEST)"
fed_agency east "db040 NOT IN ($WEST)"
pg_sql east "INSERT INTO eusilc (db030, db040, rb050, \"eqIncome\") VALUES ('x1', 'Enclave', 10, 5000),
    ('x1', 'Enclave', 12, 25000), ('x2', 'Enclave', 9, 41000)"
sol poverty --microdata "$F" --weight rb050 --income eqIncome --by db040 --strata db040 --json
cp "$T/out" "$T/mem.json"
sol poverty --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --weight rb050 \
    --income eqIncome --by db040 --strata db040 --json
expect_exit 0
expect_err "the agency on 127.0.0.1:[0-9]+/solidata withheld 1 domain\(s\) of fewer than 10 rows: Enclave"
if grep -q Enclave "$T/out"; then fail "the withheld domain is in the output"; fi
same_json "$T/mem.json" "$T/out" '^\.domains\[9\]\.gini$'
# cells of fewer than k rows: PSUs that are households
"$TOP/build/solidata" microdata agency-sql --table eusilc --role observatory --weight rb050 \
    --income eqIncome --by db040 --strata db040 --psu db030 --schema fed_psu >"$T/psu.sql"
psql -X -q -v ON_ERROR_STOP=1 "$PG_URL_west" -f "$T/psu.sql" >/dev/null 2>&1 || fail "setup fed_psu"
sol poverty --microdata-sql "${FED_URL_west%%\?*}?agency=fed_psu" --weight rb050 --income eqIncome \
    --by db040 --strata db040 --psu db030 --json
expect_exit 0
expect_err 'the agencies withheld [0-9]+ cells'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["domains"]
assert all(r["flag"] == "withheld" and r["arop"] is None for r in d), d[0]
assert all(r["median_income"] is not None for r in d), d[0]' "$T/out" ||
    fail "withheld cells were used: $(head -c 600 "$T/out")"
