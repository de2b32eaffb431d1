# The dashboard's workspace over loopback: an upload is for analysts only (401 for a visitor),
# previewed without touching the store (areas matched and not, values per indicator, periods),
# then imported; its temporary file is private and removed; a file over the limit is 413.
with_regions
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
J=(-H 'Content-Type: application/json')
printf 'code,families_helped\n12,2521\n01,310\n99,4\n' >"$T/up.csv"
b64=$(base64 -w0 "$T/up.csv")
body="{\"filename\":\"families.csv\",\"content_base64\":\"$b64\",\"options\":{\"preview\":true,\"area_field\":\"code\",\"period\":\"2023\"}}"
# a visitor: 401, and the workspace's limits are not theirs either
get /api/imports -X POST "${J[@]}" -d "$body"; expect_code 401; expect_out 'sign in'
get /api/workspace; expect_code 401
curl -s -o "$T/out" -c "$T/ana.jar" "${J[@]}" -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
csrf=$(sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/' "$T/out")
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $csrf" "${J[@]}")
get /api/workspace -b "$T/ana.jar"; expect_code 200; expect_out '"max_upload_bytes":50000000'
# without the CSRF token: refused
get /api/imports -X POST -b "$T/ana.jar" "${J[@]}" -d "$body"; expect_code 403
# the preview: two areas matched, one row not matched, one indicator, one period; nothing written
get /api/imports -X POST "${A[@]}" -d "$body"; expect_code 200
expect_out '"preview":true'; expect_out '"matched":2'; expect_out '"unmatched_rows":1'
expect_out '"unmatched_values":\[\{"value":"99"'; expect_out '"values":2'; expect_out '"periods":\["2023"\]'; expect_out '"code":"families_helped","values":2,"new":true'; grep -q 'solidata-upload' "$T/out" && fail "the server's temporary path is shown"
[ "$(store_sql "SELECT count(*) FROM source WHERE name = 'families.csv'")" = 0 ] || fail "the preview wrote a source"
ls "${TMPDIR:-/tmp}" | grep -q '^solidata-upload-' && fail "a temporary upload was left behind"
# the import, with the label and polarity the person chose, and the unknown row skipped
body="{\"filename\":\"families.csv\",\"content_base64\":\"$b64\",\"options\":{\"area_field\":\"code\",\"period\":\"2023\",\"skip_unknown_areas\":true,\"indicator_meta\":[{\"code\":\"families_helped\",\"label\":\"Families helped\",\"unit\":\"families\",\"polarity\":\"lower_better\"}],\"choices\":[{\"name\":\"Latium\",\"code\":\"12\"}]}}"
get /api/imports -X POST "${A[@]}" -d "$body"; expect_code 200; expect_out '"rows_written":2'
[ "$(store_sql "SELECT label || ',' || polarity FROM indicator WHERE code = 'families_helped'")" = "Families helped,-1" ] ||
    fail "label/polarity not set: $(store_sql "SELECT label, polarity FROM indicator WHERE code = 'families_helped'")"
store_sql "SELECT action FROM audit" | grep -q '^workspace.import$' || fail "no audit row"
store_sql "SELECT detail FROM audit WHERE action = 'workspace.import'" | grep -q 'Latium,,12' ||
    fail "the person's choices are not in the audit log"
# a column that is not numeric is said, with why
printf 'code,note,helped\n12,grande,5\n01,petite,7\n' >"$T/text.csv"
b64=$(base64 -w0 "$T/text.csv")
get /api/imports -X POST "${A[@]}" -d "{\"filename\":\"text.csv\",\"content_base64\":\"$b64\",\"options\":{\"preview\":true,\"area_field\":\"code\",\"period\":\"2023\"}}"
expect_code 200; expect_out '"ignored":\[\{"column":"note","why":"not_numeric"\}\]'; expect_out '"read":\["helped"\]'
# bad bodies
get /api/imports -X POST "${A[@]}" -d '{"filename":"x.csv"}'; expect_code 400
get /api/imports -X POST "${A[@]}" -d '{"filename":"x.csv","content_base64":"@@@"}'; expect_code 400
# over the limit: refused before reading (Content-Length), said in megabytes
head -c 68000000 /dev/zero >"$T/big"
get /api/imports -X POST "${A[@]}" --data-binary @"$T/big"; expect_code 413; expect_out '50 MB'
# other routes keep the 1 MiB cap
head -c 2000000 /dev/zero >"$T/big2"
get /api/runs/index -X POST "${A[@]}" --data-binary @"$T/big2"; expect_code 413
