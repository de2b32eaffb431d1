# export data --csv-dialect excel-fr|excel-it: what French and Italian spreadsheets open in
# columns: a UTF-8 BOM, ';' between fields, ',' as the decimal mark, CRLF; a text holding ';' or a
# quote is quoted, a formula still neutralised, a negative value still a number. The default
# (plain) is unchanged whatever the locale; an unknown dialect is a usage error naming the choices.
sq='[[[12,41],[12.1,41],[12.1,41.1],[12,41.1],[12,41]]]'
sq2='[[[13,41],[13.1,41],[13.1,41.1],[13,41.1],[13,41]]]'
sq3='[[[14,41],[14.1,41],[14.1,41.1],[14,41.1],[14,41]]]'
cat >"$T/a.geojson" <<JSON
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A;1","name":"Nord; Est"},"geometry":{"type":"Polygon","coordinates":$sq}},
{"type":"Feature","properties":{"code":"B\"2","name":"B"},"geometry":{"type":"Polygon","coordinates":$sq2}},
{"type":"Feature","properties":{"code":"@SUM(A1)","name":"C"},"geometry":{"type":"Polygon","coordinates":$sq3}}]}
JSON
sol import areas "$T/a.geojson" --code-field code --name-field name; expect_exit 0
printf 'area,period,indicator,value,se\n"A;1",2023,inc,-1.5,0.25\n"B""2",2023,inc,1234.5,\n"@SUM(A1)",2023,inc,7,\n' >"$T/d.csv"
sol import data "$T/d.csv" --area-field area --period-field period --indicator-field indicator --se-field se
expect_exit 0

for d in excel-fr excel-it; do
    sol export data --csv-dialect $d; expect_exit 0
    [ "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "$d: no UTF-8 BOM"
    [ "$(grep -c $'\r$' "$T/out")" = 4 ] || fail "$d: not every line ends with CRLF"
    tr -d '\r' <"$T/out" | tail -c +4 >"$T/lf"
    grep -qx 'area;period;indicator;value;se;flags' "$T/lf" || fail "$d: header"
    grep -qx '"A;1";2023;inc;-1,5;0,25;' "$T/lf" || fail "$d: a code holding ';' or the decimal comma"
    grep -qx '"B""2";2023;inc;1234,5;;' "$T/lf" || fail "$d: a code holding a quote"
    grep -qx "\"'@SUM(A1)\";2023;inc;7;;" "$T/lf" || fail "$d: the formula guard"
    # a spreadsheet splitting on ';' outside quotes finds six columns on every line
    awk -F';' '{ n = 0; q = 0; for (i = 1; i <= length($0); i++) { c = substr($0, i, 1);
        if (c == "\"") q = !q; else if (c == ";" && !q) n++ } if (n != 5) exit 1 }' "$T/lf" ||
        fail "$d: a line is not six columns"
done

# the default is the machine's form, the same under a French locale
env LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 LANGUAGE=fr "$SOLIDATA" --db "$DB" export data >"$T/out" 2>"$T/err" ||
    fail "plain export under a French locale"
[ "$(head -c 4 "$T/out")" = area ] || fail "plain: a BOM or another header"
grep -c $'\r' "$T/out" >/dev/null && fail "plain: CR in the default CSV"
expect_out '^area,period,indicator,value,se,flags$'
expect_out '^A;1,2023,inc,-1.5,0.25,$'
expect_out '^"B""2",2023,inc,1234.5,,$'
sol export data --csv-dialect plain --out "$T/p.csv"; expect_exit 0
cmp -s "$T/p.csv" <(LC_ALL=C.UTF-8 "$SOLIDATA" --db "$DB" export data) || fail "--csv-dialect plain is not the default"

# an unknown dialect: a usage error that lists the choices, nothing written
sol export data --csv-dialect excel-de; expect_exit 2
expect_err "--csv-dialect excel-de: expected plain, excel-fr or excel-it"
[ -s "$T/out" ] && fail "something written after a usage error"
# in French too, with the choices
sol --lang fr export data --csv-dialect excel-de; expect_exit 2
expect_err "--csv-dialect excel-de.*plain, excel-fr ou excel-it"
# the areas are GeoJSON: no CSV dialect there
sol export areas --csv-dialect excel-fr; expect_exit 2
true
