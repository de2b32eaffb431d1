#!/bin/bash
# demo.sh SOLIDATA - import the bundled real data into a fresh demo store and show what is inside.
set -euo pipefail
S=$1
here=$(cd "$(dirname "$0")" && pwd)
D=$here/data
out=${DEMO_OUT:-$(cd "$here/.." && pwd)/out}
mkdir -p "$out"
db=$out/demo.db
rm -f "$db" "$db-wal" "$db-shm"
run() { echo "\$ solidata $*" >&2; "$S" --db "$db" "$@"; }

echo "== 1. Boundaries: 20 Italian regions and 378 municipalities of Lazio (Openpolis, CC BY 4.0)"
run import areas "$D/italy_regions.geojson" --code-field reg_code --name-field reg_name \
    --level region --source "Openpolis regions 2023.1" --licence "CC BY 4.0" \
    --attribution "Confini: Openpolis (geojson-italy, CC BY 4.0) su dati ISTAT"
run import areas "$D/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --parent-field prov_code --level municipality --source "Openpolis Lazio municipalities 2023.1" \
    --licence "CC BY 4.0" --attribution "Confini comunali: Openpolis (geojson-italy, CC BY 4.0) su dati ISTAT"

echo "== 2. Indicators: Istat BES regional well-being 2015-2024 and MEF IRPEF income by municipality"
run import data "$D/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$D/bes_indicators.csv" \
    --source "Istat BES dei territori (regions)" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat, BES dei territori (DF_BES_TERRIT_0T), elaborazione da nmaiese/diset-viz"
run import data "$D/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --source "MEF IRPEF su base comunale (Lazio)" --licence "CC BY 4.0 (open data, CAD art. 52)" \
    --attribution "Fonte: MEF - Dipartimento delle Finanze, dichiarazioni IRPEF su base comunale"

echo "== 3. Importing the same file again changes nothing"
run import data "$D/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --source "Istat BES dei territori (regions)"

echo
echo "== What the store holds"
run init
echo
"$S" --db "$db" catalog >"$out/catalog.csv"
"$S" --db "$db" indicators >"$out/indicators.csv"
echo "Sources (the catalog, $out/catalog.csv):"
cut -c1-150 "$out/catalog.csv"
echo
echo "Indicators (first 8 of $(($(wc -l <"$out/indicators.csv") - 1)), $out/indicators.csv):"
sed -n 1,9p "$out/indicators.csv" | cut -c1-150
echo
"$S" --db "$db" export data --out "$out/observations.csv" >/dev/null
"$S" --db "$db" export areas --out "$out/areas.geojson" >/dev/null
cat <<MSG

Done. Look at:
  $out/demo.db            the store (SQLite): solidata --db $out/demo.db catalog
  $out/observations.csv   every observation, long form (area, period, indicator, value, se, flags)
  $out/areas.geojson      every area, EPSG:4326
  $out/catalog.csv        where every figure came from, under which licence

Next: 'solidata --db $out/demo.db indicators --json', 'solidata --db $out/demo.db export data
--indicator 04BEC006P', or import your own boundaries and spreadsheets ('solidata import --help').
MSG
