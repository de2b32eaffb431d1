# A connector asks for SDMX-CSV or SDMX-JSON (--format csv|json): the request carries the SDMX
# media type, the replay answers the same Istat observations in that format (made from the
# recorded XML by tests/data/connect/make_formats.py), the reader tells the format from the bytes,
# and the store holds the same values as with SDMX-ML. A provider that does not serve a format,
# an unknown format, and --format without --sdmx are refused.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
printf 'code,name\n001001,Agliè\n001002,Airasca\n' >"$T/names.csv"
D0=$TOP/tests/data/connect
for f in xml csv json; do
    DB=$T/$f.db
    add_nidi --area-names "$T/names.csv" --format $f
    expect_exit 0
    sol refresh nidi
    expect_exit 0; expect_out '^nidi,new-version,1,22,0,0$'
    sol export data --indicator 47_850.AUTP.ALL.ALL.1
    expect_exit 0; cp "$T/out" "$T/export-$f.csv"
    sol connect show nidi
    case $f in
    xml) sha=$(sha256sum "$D0/istat-47_850-data.xml" | cut -d' ' -f1); grep -q '"format"' "$T/out" && fail "xml is the default, not stored" ;;
    csv) sha=$(sha256sum "$D0/istat-47_850-data-sdmxcsv.csv" | cut -d' ' -f1); expect_out '"format":"csv"' ;;
    json) sha=$(sha256sum "$D0/istat-47_850-data-sdmxjson.json" | cut -d' ' -f1); expect_out '"format":"json"' ;;
    esac
    grep -q "$sha" "$T/out" || fail "the $f connector did not get the $f answer"
    # again: the conditional request on the same format, nothing written
    sol refresh nidi
    expect_exit 0; expect_out '^nidi,not-modified,'
done
cmp -s "$T/export-xml.csv" "$T/export-csv.csv" || fail "SDMX-CSV gave other values: $(diff "$T/export-xml.csv" "$T/export-csv.csv")"
cmp -s "$T/export-xml.csv" "$T/export-json.csv" || fail "SDMX-JSON gave other values: $(diff "$T/export-xml.csv" "$T/export-json.csv")"
grep -c '^2013\|,2013,' "$T/export-json.csv" | grep -qx 2 || fail "expected 2 values of 2013: $(cat "$T/export-json.csv")"
# refused, the store unchanged
DB=$T/xml.db
snapshot
sol connect add x --sdmx INSEE/SERIES_BDM --format csv
expect_exit 1; expect_err 'Insee serves SDMX-ML structure-specific, not SDMX-CSV: ask for xml'
sol connect add x --sdmx ISTAT/47_850 --format yaml
expect_exit 1; expect_err "--format 'yaml': expected xml, csv or json"
sol connect add x --ckan http://127.0.0.1:$RPORT --dataset d --format csv
expect_exit 2
expect_unchanged
