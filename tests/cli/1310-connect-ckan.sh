# A CKAN connector: package_show gives the resource's address, licence and attribution; the
# resource (the BES file of examples/data) is imported as files are; fetched again, nothing is
# written; a revised resource (one value changed) is a new version with its revision listed with
# the emerging needs. A resource that is not a table, and an unknown dataset, are refused.
. "$TOP/tests/cli/connect_lib.sh"
REPLAY_DATA=$TOP/tests/data/connect/ckan replay normal
with_regions
P=http://127.0.0.1:$RPORT
sol connect add bes --ckan "$P" --dataset bes-dei-territori-regioni --resource "Nota metodologica"
expect_exit 1; expect_err "resource 'Nota metodologica' is PDF: a table \(CSV, XLSX, ODS\) is expected"
sol connect add bes --ckan "$P" --dataset nosuch
expect_exit 1; expect_err "has no dataset 'nosuch'"
sol connect add bes --ckan "$P" --dataset bes-dei-territori-regioni --area-field reg_code \
    --period-field year --indicator-field indicator_id --layout long
expect_exit 0
sol refresh bes
expect_exit 0; expect_out '^bes,new-version,1,'
sol catalog
expect_out ',bes,1,current,ckan,http://127.0.0.1:[0-9]+/dataset/bes/resource/bes_regions_long.csv,Creative Commons Attribution 3.0 \(cc-by\),Istat - Istituto nazionale di statistica,'
snapshot
A=$(data_digest)
sol refresh bes
expect_exit 0; expect_out '^bes,not-modified,'
[ "$(data_digest)" = "$A" ] || fail "the data changed"
# a revised resource: Piemonte 01SAL001 2015 from 82.1 to 82.4
sed 's/^01,Piemonte,01SAL001,2015,82.1$/01,Piemonte,01SAL001,2015,82.4/' "$TOP/examples/data/bes_regions_long.csv" >"$T/bes2.csv"
cmp -s "$T/bes2.csv" "$TOP/examples/data/bes_regions_long.csv" && fail "the revised file is the same"
mode "file=$T/bes2.csv"
sol refresh bes
expect_exit 0; expect_out '^bes,new-version,2,0,1,0$'; expect_err '01SAL001, 2015: 82.1 -> 82.4'
sol alerts --latest
expect_out '^revision,01,Piemonte,01SAL001,2015,"revised by Istat - Istituto nazionale di statistica|^revision,01,Piemonte,01SAL001,2015,"revised by http'
# data.gouv.fr: the dataset's only table is taken without --resource; licence from its id (lov2)
export SOLIDATA_PROVIDER_URL_DATAGOUV=$P/api/1
mode normal
sol connect add bes-fr --datagouv bes-regioni-test --area-field reg_code --period-field year \
    --indicator-field indicator_id --layout long
expect_exit 0
sol connect show bes-fr
expect_out '"provider":"data.gouv.fr"'; expect_out '"resource_name":"bes_regions_long.csv"'
sol connect add bes-x --datagouv nosuch-dataset
expect_exit 1; expect_err "has no dataset 'nosuch-dataset'"
