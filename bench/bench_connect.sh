#!/bin/bash
# bench_connect.sh SOLIDATA - the whole refresh of an SDMX connector into the store: a generated
# SDMX-ML 2.1 structure-specific message of AREAS x INDICATORS x PERIODS observations (default
# 1,000 x 100 x 10 = 1,000,000) served on 127.0.0.1 by tests/connect/replay.py, fetched, parsed,
# mapped and imported as a new source version; compared, in the same run, with `import data` of
# the same observations as a long CSV (the import the refresh ends with). A second refresh (the
# answer unchanged: a 304) is timed too, and SQLite alone inserting as many rows into the same
# table (the bound of both).
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
A=${BENCH_AREAS:-1000}; I=${BENCH_INDICATORS:-100}; P=${BENCH_PERIODS:-10}
W=${BENCH_DIR:-$(mktemp -d /var/tmp/solidata-bench-connect.XXXXXX)}
trap 'kill $rp 2>/dev/null || true; rm -rf "$W"' EXIT
N=$((A * I * P))
echo "generating $N observations ($A areas x $I indicators x $P periods) in $W ..." >&2
mkdir -p "$W/replay"
awk -v A="$A" 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
  for (a = 0; a < A; a++) { x = (a % 100) * 0.01; y = int(a / 100) * 0.01;
    printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"A%05d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
      (a ? "," : ""), a, x, y, x + 0.01, y, x + 0.01, y + 0.01, x, y + 0.01, x, y }
  print "]}" }' >"$W/areas.geojson"
# the data message and the same values as a long CSV
awk -v A="$A" -v I="$I" -v P="$P" -v csv="$W/obs.csv" 'BEGIN { s = 12345;
  print "area,indicator,period,value" > csv;
  print "<?xml version=\"1.0\" encoding=\"utf-8\"?><message:StructureSpecificData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" xmlns:ss=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific\" xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\"><message:Header><message:ID>BENCH</message:ID><message:Structure structureID=\"BENCH\" dimensionAtObservation=\"TIME_PERIOD\"><common:StructureUsage><Ref agencyID=\"IT1\" id=\"BENCH\" version=\"1.0\"/></common:StructureUsage></message:Structure></message:Header><message:DataSet ss:structureRef=\"BENCH\">";
  for (i = 0; i < I; i++) for (a = 0; a < A; a++) {
    printf "<Series FREQ=\"A\" REF_AREA=\"A%05d\" DATA_TYPE=\"IND%03d\">", a, i;
    for (p = 0; p < P; p++) { s = (s * 1103515245 + 12345) % 2147483648; v = s / 21474836.48;
      printf "<Obs TIME_PERIOD=\"%d\" OBS_VALUE=\"%.4f\"/>", 2015 + p, v;
      printf "A%05d,BENCH.IND%03d,%d,%.4f\n", a, i, 2015 + p, v > csv }
    printf "</Series>" }
  print "</message:DataSet></message:StructureSpecificData>" }' >"$W/replay/data.xml"
cat >"$W/replay/structure.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?><message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"><message:Header><message:ID>BENCH</message:ID></message:Header><message:Structures><structure:Dataflows><structure:Dataflow id="BENCH" agencyID="IT1" version="1.0"><common:Name xml:lang="en">Benchmark</common:Name><structure:Structure><Ref id="BENCH_DSD" version="1.0" agencyID="IT1"/></structure:Structure></structure:Dataflow></structure:Dataflows><structure:DataStructures><structure:DataStructure id="BENCH_DSD" agencyID="IT1" version="1.0"><common:Name xml:lang="en">Benchmark</common:Name><structure:DataStructureComponents><structure:DimensionList id="DimensionDescriptor"><structure:Dimension id="FREQ" position="1"/><structure:Dimension id="REF_AREA" position="2"/><structure:Dimension id="DATA_TYPE" position="3"/><structure:TimeDimension id="TIME_PERIOD" position="4"/></structure:DimensionList></structure:DataStructureComponents></structure:DataStructure></structure:DataStructures></message:Structures></message:Structure>
XML
printf '{"url": "http://REPLAY/rest/data/BENCH/all", "status_code": 200, "reason": "OK", "headers": {"Content-Type": "application/xml"}}\n' >"$W/replay/data.headers.json"
printf '{"url": "http://REPLAY/rest/dataflow/all/BENCH/latest?references=datastructure", "status_code": 200, "reason": "OK", "headers": {"Content-Type": "application/xml"}}\n' >"$W/replay/structure.headers.json"
ls -l "$W/replay/data.xml" | awk '{printf "message: %.0f MB\n", $5 / 1048576}'
echo normal >"$W/mode"
python3 "$here/../tests/connect/replay.py" --data "$W/replay" --port-file "$W/port" --mode-file "$W/mode" 2>"$W/replay.log" &
rp=$!
for _ in $(seq 1 200); do [ -s "$W/port" ] && break; sleep 0.05; done
export SOLIDATA_PROVIDER_URL_ISTAT="http://127.0.0.1:$(cat "$W/port")/rest" SOLIDATA_CACHE=$W/cache
for db in c.db f.db; do
    "$S" --quiet --db "$W/$db" import areas "$W/areas.geojson" --code-field code 2>/dev/null
done
"$S" --quiet --db "$W/c.db" connect add bench --sdmx ISTAT/BENCH --indicator BENCH
t0=$(date +%s.%N)
"$S" --quiet --db "$W/c.db" refresh bench --max-size 4000000000 >/dev/null
t1=$(date +%s.%N)
"$S" --quiet --db "$W/c.db" refresh bench --max-size 4000000000 >/dev/null
t2=$(date +%s.%N)
"$S" --quiet --db "$W/f.db" import data "$W/obs.csv" --area-field area --period-field period \
    --indicator-field indicator --value-field value --source bench
t3=$(date +%s.%N)
# the bound: SQLite alone writing as many rows into the same table (no parsing, no checks)
cp "$W/c.db" "$W/s.db"
sqlite3 "$W/s.db" "DELETE FROM observation; DELETE FROM observation_archive; VACUUM;"
t4=$(date +%s.%N)
sqlite3 "$W/s.db" "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
  INSERT INTO observation (indicator_id, area_id, period_id, value, se, flags, source_id)
  SELECT 1 + i / ($A * $P), 1 + (i / $P) % $A, 1 + i % $P, i * 0.37, NULL, 0, 1 FROM n; COMMIT;"
t5=$(date +%s.%N)
n=$(sqlite3 "$W/c.db" "SELECT count(*) FROM observation")
m=$(sqlite3 "$W/f.db" "SELECT count(*) FROM observation")
[ "$n" = "$N" ] && [ "$m" = "$N" ] || { echo "row counts differ: $n / $m / $N"; exit 1; }
awk -v r="$(echo "$t1 - $t0" | bc)" -v u="$(echo "$t2 - $t1" | bc)" -v f="$(echo "$t3 - $t2" | bc)" -v q="$(echo "$t5 - $t4" | bc)" -v n="$N" 'BEGIN {
  printf "refresh (fetch, parse, map, import): %.2f s, %.0f observations/s\n", r, n / r;
  printf "refresh again (304, nothing written): %.2f s\n", u;
  printf "import data of the same long CSV:    %.2f s, %.0f observations/s\n", f, n / f;
  printf "SQLite alone, the same rows inserted:  %.2f s, %.0f rows/s\n", q, n / q;
  printf "ratio refresh / import: %.2f; refresh / SQLite alone: %.2f\n", r / f, r / q }'
