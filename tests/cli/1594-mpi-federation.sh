# mpi over a federation of two agencies (issue 21 item 6): each keeps its own eusilc regions and
# serves, for the deprivation columns it named at setup (--indicator), only the cell sums of
# mpi_cells(); the federated index equals the one of the file holding both agencies' rows, every
# number at 1e-12 relative (H, A, M0, their SEs, the indicators, the groups), whichever agency
# comes first. A cell with fewer than k deprived persons is withheld, with what it touches.
. "$TOP/tests/cli/pgmicro_lib.sh"
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
WEST="'Tyrol', 'Vorarlberg', 'Salzburg', 'Carinthia', 'Upper Austria'"
FED_EXTRA="--indicator age --indicator eqIncome --indicator hsize"
fed_agency west "db040 IN ($WEST)"
fed_agency east "db040 NOT IN ($WEST)"
sort_groups() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["groups"].sort(key=lambda g: g["group"]); json.dump(d, open(sys.argv[1], "w"))' "$1"; }
# the spec in another order than the agencies' columns, one column twice; every count of a
# region (poor, deprived, poor and deprived, and the others) is at least k = 10
cat >"$T/spec.json" <<'JSON'
{"k": 0.4, "indicators": [
  {"column": "eqIncome", "dimension": "income", "weight": 0.4, "deprived_if": "< 10859.236"},
  {"column": "hsize", "dimension": "housing", "weight": 0.2, "deprived_if": ">= 5"},
  {"column": "age", "dimension": "health", "weight": 0.25, "deprived_if": ">= 65"},
  {"column": "hsize", "dimension": "housing", "weight": 0.15, "deprived_if": "<= 2"}]}
JSON
for design in "--by db040 --strata db040" "--by db040" ""; do
    sol mpi --microdata "$F" --spec "$T/spec.json" --weight rb050 $design
    expect_exit 0
    cp "$T/out" "$T/mem.json"
    sort_groups "$T/mem.json"
    sol mpi --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --spec "$T/spec.json" \
        --weight rb050 $design
    expect_exit 0
    same_json "$T/mem.json" "$T/out"
    if grep -q withheld "$T/out"; then fail "nothing should be withheld: $(head -c 400 "$T/out")"; fi
    [ "$design" = "--by db040 --strata db040" ] || continue
    sol mpi --microdata-sql "$FED_URL_east" --microdata-sql "$FED_URL_west" --spec "$T/spec.json" \
        --weight rb050 $design
    expect_exit 0
    same_json "$T/mem.json" "$T/out"
done
# a rare deprivation (aged 90 or more: a few persons per region) is withheld inside the agency:
# its groups and the whole population come back null, flagged, and a note says why
sed 's/">= 65"/">= 90"/' "$T/spec.json" >"$T/rare.json"
sol mpi --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --spec "$T/rare.json" \
    --weight rb050 --by db040 --strata db040
expect_exit 0
expect_err 'note: the agencies withheld [0-9]+ cells'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["withheld"] is True and d["H"] is None and d["M0_se"] is None, d
w = [g for g in d["groups"] if g.get("withheld")]
assert w and all(g["H"] is None and g["n"] == 0 for g in w), d["groups"]
assert all(i["censored_headcount"] is None for i in d["indicators"]), d["indicators"]' "$T/out" ||
    fail "withheld cells were used: $(head -c 800 "$T/out")"
# the role calling the function itself with a crafted cut-off gets the cell withheld, and a
# position out of the agency's columns reads nothing but "not a number"
OBS=${FED_URL_west%%\?*}
psql -X -A -t "$OBS" -c "SELECT count(*), count(n) FROM solidata_fed.mpi_cells(ARRAY[1], ARRAY['>='],
    ARRAY[90::float8], ARRAY[1::float8], 0.5, true, false)" >"$T/crafted" 2>&1 ||
    fail "the role cannot call mpi_cells: $(cat "$T/crafted")"
# (west: 8, 1, 6 and 4 persons of 90 or more in four regions, none in Vorarlberg)
grep -qx '5|1' "$T/crafted" || fail "a cell of fewer than k old persons came back: $(cat "$T/crafted")"
psql -X -A -t "$OBS" -c "SELECT sum(bad_v), count(n) FROM solidata_fed.mpi_cells(ARRAY[9], ARRAY['='],
    ARRAY[1::float8], ARRAY[1::float8], 0.5, false, false)" >"$T/crafted" 2>&1
grep -q '^[0-9][0-9]*|5$' "$T/crafted" || fail "position 9: $(cat "$T/crafted")"
# bad input: a column the agency did not name, an agency mixed with a table, no weight
sed 's/"hsize"/"rb090"/' "$T/spec.json" >"$T/bad.json"
sol mpi --microdata-sql "$FED_URL_west" --microdata-sql "$FED_URL_east" --spec "$T/bad.json" \
    --weight rb050
expect_exit 1
expect_err "has no deprivation indicator 'rb090' \(it has: age, eqIncome, hsize\); ask the agency to set up its functions again with --indicator rb090"
sol mpi --microdata-sql "$FED_URL_west" --microdata-sql "${OBS}?table=eusilc" --spec "$T/spec.json" \
    --weight rb050
expect_exit 1
expect_err "mpi --microdata-sql reads one table \(\?table=\), or one or more agencies"
sol mpi --microdata-sql "$FED_URL_west" --spec "$T/spec.json"
expect_exit 1
expect_err "computes --weight from column 'rb050', not '\(none\)'"
# an agency set up for mpi alone (no income) serves mpi, and refuses poverty with a clear message
"$TOP/build/solidata" microdata agency-sql --table eusilc --role observatory --weight rb050 \
    --by db040 --indicator age --indicator eqIncome --indicator hsize --schema fed_mpi >"$T/mpi.sql" ||
    fail "agency-sql without --income"
psql -X -q -v ON_ERROR_STOP=1 "$PG_URL_west" -f "$T/mpi.sql" >/dev/null 2>&1 || fail "setup fed_mpi"
sol mpi --microdata-sql "$OBS?agency=fed_mpi" --spec "$T/spec.json" --weight rb050 --by db040
expect_exit 0
sol poverty --microdata-sql "$OBS?agency=fed_mpi" --weight rb050 --income eqIncome --by db040
expect_exit 1
expect_err "computes --income from column '\(none\)', not 'eqIncome'"
