# mpi --microdata-sql: Alkire-Foster from aggregates only equals the in-memory index on the same
# rows (1e-12 relative, every number; the groups compared by name, as the table gives them sorted),
# on the reference households (no weights) and on eusilc with weights, strata and PSUs.
. "$TOP/tests/cli/pgmicro_lib.sh"
pg_start a
D="$TOP/tests/data/mpi_af"
pg_load a households "$D/households.csv" 'person int, "Access.to.health.care" int,
    "Child.Mortality" int, "Access.to.clean.source.of.water" int,
    "Access.to.an.improve.sanatation" int, "Electricity" int, "Asset.ownership" int,
    "Cooking.Fuel" int, "Housing.Materials" int, "School.lag" int, "School.attendance" int,
    "Years.of.education" int, "Region" text'
sort_groups() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["groups"].sort(key=lambda g: g["group"]); json.dump(d, open(sys.argv[1], "w"))' "$1"; }
for design in "" "--by Region" "--by Region --psu Region" "--strata Region"; do
    sol mpi --microdata "$D/households.csv" --spec "$D/spec.json" $design
    expect_exit 0
    cp "$T/out" "$T/mem.json"
    sol mpi --microdata-sql "$PG_URL_a?table=households" --spec "$D/spec.json" $design
    expect_exit 0
    sort_groups "$T/mem.json"
    same_json "$T/mem.json" "$T/out"
done
# the published reference (R mpitb via make-reference.R): H and M0 of the whole sample
sol mpi --microdata-sql "$PG_URL_a?table=households" --spec "$D/spec.json"
expect_out '"q": 26'
# weighted, stratified and clustered: eusilc with three deprivations
F="$TOP/tests/data/poverty_eusilc/eusilc.csv"
pg_load a eusilc "$F" 'db030 text, hsize int, db040 text, rb030 int, age int, rb090 text,
    pl030 text, pb220a text, "eqSS" float8, "eqIncome" float8, db090 float8, rb050 float8'
cat >"$T/spec.json" <<'JSON'
{"k": 0.4, "indicators": [
  {"column": "eqIncome", "dimension": "income", "weight": 0.5, "deprived_if": "< 10859.236"},
  {"column": "hsize", "dimension": "housing", "weight": 0.25, "deprived_if": ">= 5"},
  {"column": "age", "dimension": "health", "weight": 0.25, "deprived_if": ">= 75"}]}
JSON
for design in "--weight rb050 --by db040 --strata db040 --psu db030" "--weight rb050 --by rb090" \
    "--weight rb050 --strata db040"; do
    sol mpi --microdata "$F" --spec "$T/spec.json" $design
    expect_exit 0
    cp "$T/out" "$T/mem.json"
    sol mpi --microdata-sql "$PG_URL_a?table=eusilc" --spec "$T/spec.json" $design
    expect_exit 0
    sort_groups "$T/mem.json"
    same_json "$T/mem.json" "$T/out"
done
# a missing indicator column is named
sed 's/"hsize"/"rooms"/' "$T/spec.json" >"$T/bad.json"
sol mpi --microdata-sql "$PG_URL_a?table=eusilc" --spec "$T/bad.json"
expect_exit 1; expect_err "has no column 'rooms' \(the indicator\)"
