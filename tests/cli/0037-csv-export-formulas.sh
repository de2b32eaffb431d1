# CSV injection: area names and codes, indicator codes and labels that a spreadsheet would run as
# formulas (=, +, -, @, tab, CR first) leave every CSV export (the area and indicator lists,
# `export data`, the dashboard's /api/export) quoted with a single quote before them (OWASP);
# values stay numbers, a negative one included.
sq='[[[12,41],[12.1,41],[12.1,41.1],[12,41.1],[12,41]]]'
sq2='[[[13,41],[13.1,41],[13.1,41.1],[13,41.1],[13,41]]]'
cat >"$T/a.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"@SUM(A1)","name":"=HYPERLINK(\"http://x\",\"y\")"},"geometry":{"type":"Polygon","coordinates":$sq}},
{"type":"Feature","properties":{"code":"B","name":"@SUM(A1)"},"geometry":{"type":"Polygon","coordinates":$sq2}}]}
EOF
sol import areas "$T/a.geojson" --code-field code --name-field name; expect_exit 0
printf 'area,period,indicator,value\n"@SUM(A1)",2023,+cmd,-1.5\nB,2023,+cmd,2\n' >"$T/d.csv"
printf 'code,label,unit\n+cmd,"-2+3",\t%%\n' >"$T/m.csv"
sol import data "$T/d.csv" --area-field area --period-field period --indicator-field indicator \
    --indicator-meta "$T/m.csv"
expect_exit 0
sol areas; expect_exit 0
expect_out '^"'"'"'@SUM\(A1\)","'"'"'=HYPERLINK\(""http://x"",""y""\)",area,'
expect_out '^B,"'"'"'@SUM\(A1\)",area,'
sol indicators; expect_exit 0
expect_out '^"'"'"'\+cmd","'"'"'-2\+3",'
sol export data; expect_exit 0
expect_out '^"'"'"'@SUM\(A1\)",2023,"'"'"'\+cmd",-1.5,,$'
expect_out '^B,2023,"'"'"'\+cmd",2,,$'
# no field of any export starts with a formula character, quoted or not
for c in areas indicators "export data"; do
    sol $c
    grep -E '(^|,)"?[=+@-]' "$T/out" | grep -vE '(^|,)-?[0-9.]+(,|$)' >/dev/null && fail "$c: a formula"
done
# the dashboard's CSV download, for an analyst
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
curl -s -o /dev/null -c "$T/ana.jar" -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
get "/api/export/observations.csv?indicator=%2Bcmd" -b "$T/ana.jar"; expect_code 200
expect_out '^"'"'"'@SUM\(A1\)",2023,"'"'"'\+cmd",-1.5,,$'
expect_out '^B,2023,"'"'"'\+cmd",2,,$'
stop_server
