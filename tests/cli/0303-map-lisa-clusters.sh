# map --lisa: the clusters written by 'solidata spatial lisa' coloured as GeoDa (HH red, LL blue,
# LH light blue, HL light red, NS light grey), with the counts of the LISA file in the legend.
GEO="$DATA/lazio_municipalities.geojson"
sol --quiet spatial lisa --geo "$GEO" --id-field istat_code \
    --data "$TOP/tests/data/classint_lazio/lazio_irpef_2021.csv" --var pct_income_0_10k \
    --islands keep --out "$T/lisa.csv"
expect_exit 0
sol --quiet map --geo "$GEO" --id-field istat_code --name-field name --lisa "$T/lisa.csv" \
    --out "$T/lisa.svg"
expect_exit 0
for k in HH:FF0000 LL:0000FF LH:A7ADF9 HL:F4ADA8 NS:EEEEEE; do
    c=${k%%:*}; col=${k#*:}
    want=$(awk -F, -v c="$c" 'NR > 1 && $NF == c' "$T/lisa.csv" | wc -l)
    got=$(grep -c "data-class=\"$c\" fill=\"#$col\"" "$T/lisa.svg")
    [ "$got" = "$want" ] || fail "$c: $got areas drawn, $want in the LISA file"
    grep -q "<g class=\"legend-item\" data-class=\"$c\">.*text-anchor=\"end\">$want</text>" \
        "$T/lisa.svg" || fail "legend count of $c"
done
grep -q '<title>Roma: ' "$T/lisa.svg" || fail "hover title"
sol --quiet map --geo "$GEO" --id-field istat_code --lisa "$T/lisa.csv" --out "$T/lisa.png"
expect_exit 0
[ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
# a cluster name the LISA writer never produces
sed '3s/,NS$/,XX/; 3s/,HH$/,XX/; 3s/,LL$/,XX/; 3s/,LH$/,XX/; 3s/,HL$/,XX/' "$T/lisa.csv" >"$T/bad.csv"
sol map --geo "$GEO" --id-field istat_code --lisa "$T/bad.csv" --out "$T/x.svg"
expect_exit 1; expect_err "bad.csv:3:[0-9]+: expected a LISA cluster .* found 'XX'"
