# Searching catalogues: CKAN's package_search and data.gouv.fr's datasets search, answered by the
# replay server in the shapes those APIs document (tests/data/connect/README.md): each dataset's
# id as --dataset takes it, title, organisation, licence and resources with their formats; an
# empty result; the portal's refusal (CKAN's success false) with its own message; no place to
# search is a usage error; offline, the cached answer.
. "$TOP/tests/cli/connect_lib.sh"
REPLAY_DATA=$TOP/tests/data/connect/ckan replay normal
P=http://127.0.0.1:$RPORT
sol connect search benessere regioni --ckan "$P"
expect_exit 0
expect_out '^id,title,organisation,licence,resources$'
expect_out '^bes-dei-territori-regioni,BES dei territori - indicatori per regione,Istat - Istituto nazionale di statistica,Creative Commons Attribution 3.0 \(cc-by\),bes_regions_long.csv \(CSV\); Nota metodologica \(PDF\)$'
expect_out '^benessere-equo-sostenibile-regioni-2023,"Benessere equo e sostenibile, regioni, 2023",Regione Piemonte,Creative Commons Attribution 4.0 \(cc-by-4.0\),tavole \(XLSX\)$'
expect_err '2 datasets shown of 2 found'
expect_lines 3
# the id found is one connect add takes
with_regions
sol connect add bes --ckan "$P" --dataset bes-dei-territori-regioni --area-field reg_code \
    --period-field year --indicator-field indicator_id --layout long
expect_exit 0
# nothing found: the header only
sol connect search nulla --ckan "$P/"
expect_exit 0; expect_err '0 datasets shown of 0 found'
expect_lines 1
# the portal refuses the query: its own message
sol connect search 'title:[' --ckan "$P"
expect_exit 1; expect_err 'answered HTTP 400: Search Query is invalid: "Invalid search query: title:\["'
# data.gouv.fr
export SOLIDATA_PROVIDER_URL_DATAGOUV=$P/api/1
sol connect search benessere --datagouv --rows 5
expect_exit 0
expect_out '^bes-regioni-test,Bien-être équitable et durable des régions italiennes \(BES\),Istat,Licence Ouverte / Open Licence 2.0 \(lov2\),bes_regions_long.csv \(csv\); documentation \(pdf\)$'
expect_err '1 dataset shown of 1 found'
# offline: the cached answer; a search never made is not in the cache
sol connect search benessere --datagouv --rows 5 --offline
expect_exit 0; expect_out '^bes-regioni-test,'
sol connect search altro --datagouv --offline
expect_exit 1
# where to search, and how many
sol connect search benessere
expect_exit 2; expect_err 'say where to search'
sol connect search benessere --ckan "$P" --datagouv
expect_exit 2
sol connect search benessere --datagouv --rows 0
expect_exit 2
grep -c 'package_search' "$T/replay.log" | grep -qx 3 || fail "expected 3 package_search requests: $(cat "$T/replay.log")"
