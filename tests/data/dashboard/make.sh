#!/bin/sh
# make.sh - build familles-aidees.xlsx, the spreadsheet of the issue's "Done when" browser test:
# French headers, commune names without codes (Seine-Saint-Denis, and "Marolles-en-Brie", a name
# shared by a commune of Seine-et-Marne and one of Val-de-Marne), thousands separators typed as
# text ("2 521"), a total row and years as columns (2015, 2016, 2019, the years of Filosofi's population); small counts (under 10) for some communes.
# Invented counts of families helped. Run from this folder; needs ogr2ogr (GDAL).
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cat >"$t/familles.csv" <<'CSV'
Commune,2015,2016,2019
Aubervilliers,2 521,2 610,2 704
Bobigny,1 310,1 402,1 388
Bondy,845,880,912
Montreuil,1 975,2 044,2 130
Saint-Denis,3 012,3 150,3 266
Pantin,604,655,690
Coubron,4,6,3
Vaujours,7,9,8
Marolles-en-Brie,5,3,6
Total,10 283,10 759,11 107
CSV
rm -f familles-aidees.xlsx
ogr2ogr -f XLSX -oo HEADERS=YES -nln "Familles aidées" familles-aidees.xlsx "$t/familles.csv"
