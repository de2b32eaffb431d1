# 75-locate.sh - demo step: where to place digital help points among the municipalities of Lazio.
echo
echo "== Where to place digital help points (maximal covering, GLPK)"
echo "   The store has no population by age for Lazio (Istat POSAS was not obtained; see"
echo "   /work/shared/data/italy_lazio_census/README.md), so the people counted are the taxpayers"
echo "   who declare a pension income in 2021 (MEF IRPEF, pension_income_n): a PROXY for older"
echo "   residents, not the persons aged 75 and over. Candidate sites are the municipalities'"
echo "   centroids (labelled 'Comune di X'), not buildings: no list of libraries or parish halls"
echo "   is bundled. Frosinone's point is kept as an existing one."
run areas | awk -F, 'BEGIN { print "id,name,lon,lat" }
    NR > 1 && $3 == "municipality" { print $1 ",Comune di " $2 "," $5 "," $6 }' \
    >"$out/locate_sites.csv"
run locate mclp --indicator pension_income_n --period 2021 --level municipality \
    --sites "$out/locate_sites.csv" --max-distance 10 --p 15 --keep 060038 \
    --need-label "pension recipients" --json >"$out/locate_mclp.json"
echo "   chosen sites, areas served, uncovered areas and the curve: $out/locate_mclp.json"
echo "   The same placement recorded in the store with its method card (the need, the distance,"
echo "   the kept site, p): the dashboard's tab 'Where to place a service' draws it (sites as"
echo "   circles, the areas each serves in its colour, the areas not served hatched, the curve),"
echo "   and the atlas (next step) has a page 'Where to place a service'. Recorded without"
echo "   --need-label, so that each site's sentence reads in the reader's language ('people',"
echo "   'personnes', 'persone'; words given with --need-label are shown as written)."
run --quiet locate mclp --indicator pension_income_n --period 2021 --level municipality \
    --sites "$out/locate_sites.csv" --max-distance 10 --p 15 --keep 060038 --record >/dev/null
echo "   The same, explained in Italian:"
run locate mclp --indicator pension_income_n --period 2021 --level municipality \
    --sites "$out/locate_sites.csv" --max-distance 10 --p 15 --keep 060038 \
    --need-label "titolari di pensione" --lang it >/dev/null
echo "   The fewest points so that every municipality has one within 15 km (location set covering):"
run --quiet locate lscp --indicator pension_income_n --period 2021 --level municipality \
    --sites "$out/locate_sites.csv" --max-distance 15 --keep 060038 \
    --need-label "pension recipients" | awk 'END { print "   " NR - 1 " sites" }' || true
