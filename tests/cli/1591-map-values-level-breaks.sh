# /api/map/values?level=L: the class breaks of the map of a level are those of that level's values
# alone. A store holding the 20 regions and Lazio's 378 municipalities, the indicator given for
# both: the regions' values (91-110 here, well above any municipality's) shift no break of the
# municipalities' map, and the regions' map is classed on the regions alone.
D=$DATA
sol import areas "$D/italy_regions.geojson" --code-field reg_code --name-field reg_name --level region
expect_exit 0
sol import areas "$D/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --level municipality
expect_exit 0
col=$(head -1 "$D/lazio_irpef_income.csv" | tr ',' '\n' | grep -nx pct_income_0_10k | cut -d: -f1)
{ echo "code,year,pct_income_0_10k"
  awk -F, -v c="$col" 'NR > 1 && $4 == 2021 && $c != "" { print $1 ",2021," $c }' "$D/lazio_irpef_income.csv"
  for r in $(seq 1 20); do printf '%02d,2021,%d\n' "$r" $((90 + r)); done; } >"$T/v.csv"
sol import data "$T/v.csv" --area-field code --period-field year
expect_exit 0
serve
for level in municipality region; do
    get "/api/map/values?indicator=pct_income_0_10k&period=2021&level=$level"; expect_code 200
    cp "$T/out" "$T/$level.json"
done
python3 - "$T" "$T/v.csv" <<'PY' || fail "the breaks of a level's map are not that level's"
import csv, json, sys
T, path = sys.argv[1], sys.argv[2]
vals = {"municipality": [], "region": []}
for row in csv.DictReader(open(path)):
    vals["region" if len(row["code"]) == 2 else "municipality"].append(float(row["pct_income_0_10k"]))
for level, v in vals.items():
    j = json.load(open(f"{T}/{level}.json"))
    b = j["breaks"]
    assert j["n"] == (20 if level == "region" else 378), (level, j["n"])
    assert len(j["classes"]) == j["n"]
    got = sorted(x for x in j["values"] if x is not None)
    assert got == sorted(v), (level, len(got), len(v))
    # the breaks run from the level's smallest to its largest value and every class is used
    assert abs(b[0] - min(v)) < 1e-9 and abs(b[-1] - max(v)) < 1e-9, (level, b, min(v), max(v))
    used = set(c for c in j["classes"] if c.isdigit())
    assert used == set(str(k) for k in range(len(b) - 1)), (level, sorted(used), b)
PY
