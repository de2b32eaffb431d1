# 90-summary.sh - demo step: what the store holds, and where to look next.
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
  $out/observations.csv   every observation, long form (area, period, indicator, value, se, flags);
                          small counts empty with the flag 'suppressed' (export data --unsuppressed
                          is for analysts, and audited)
  $out/areas.geojson      every area, EPSG:4326
  $out/catalog.csv        where every figure came from, under which licence
  $out/atlas.html         the atlas (open it in a browser); atlas.pdf and atlas_fr.pdf to print
  $out/*.png, *.svg       the maps
  $out/lisa_lazio.csv     LISA clusters of low income in Lazio (solidata --db $out/demo.db runs)

Next: 'solidata --db $out/demo.db indicators --json', 'solidata --db $out/demo.db export data
--indicator 04BEC006P', or import your own boundaries and spreadsheets ('solidata import --help').
MSG
