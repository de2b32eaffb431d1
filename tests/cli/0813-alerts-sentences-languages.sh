# alert sentences are stored in English, Italian and French, each from its own template with the
# numbers as that language writes them (decimal comma in Italian and French).
with_regions
{
    echo "code,label,polarity"
    echo "evict,Sfratti per 1000 famiglie,lower_better"
} >"$T/meta.csv"
awk 'BEGIN { srand(7); print "area,indicator,year,value";
    for (a = 1; a <= 8; a++) for (y = 2010; y <= 2024; y++) {
        code = sprintf("%02d", a); e = 10 + (rand() - 0.5);
        if (a == 3) e = 10 + 0.8 * (y - 2010) + (rand() - 0.5) * 0.2;
        print code ",evict," y "," e } }' >"$T/d.csv"
sol import data "$T/d.csv" --area-field area --period-field year --indicator-field indicator \
    --indicator-meta "$T/meta.csv"
expect_exit 0
sol alerts --since 2015 --json
expect_exit 0
cp "$T/out" "$T/a.json"
a='[.alerts[] | select(.area == "03" and .kind == "trend")][0].sentence'
jq -e "$a.en | test(\"^Lombardia: Sfratti per 1000 famiglie has been getting worse since 2015, a steady rise of 0\\\\.[78][0-9]* a year \\\\(trend; (almost certain|very likely|likely), q = 0\\\\.[0-9]+\\\\)\\\\.$\")" "$T/a.json" >/dev/null ||
    fail "English sentence: $(jq -r "$a.en" "$T/a.json")"
jq -e "$a.it | test(\"^Lombardia: Sfratti per 1000 famiglie peggiora dal 2015, con un aumento costante di 0,[78][0-9]* all'anno \\\\(tendenza; (quasi certo|molto probabile|probabile), q = 0,[0-9]+\\\\)\\\\.$\")" "$T/a.json" >/dev/null ||
    fail "Italian sentence: $(jq -r "$a.it" "$T/a.json")"
jq -e "$a.fr | test(\"^Lombardia : Sfratti per 1000 famiglie se dégrade depuis 2015, avec une hausse régulière de 0,[78][0-9]* par an \\\\(tendance ; (quasi certain|très probable|probable), q = 0,[0-9]+\\\\)\\\\.$\")" "$T/a.json" >/dev/null ||
    fail "French sentence: $(jq -r "$a.fr" "$T/a.json")"
# the same three sentences whatever the process language
LANGUAGE=fr sol alerts --since 2015 --json
expect_exit 0
[ "$(jq -c '[.alerts[].sentence]' "$T/out")" = "$(jq -c '[.alerts[].sentence]' "$T/a.json")" ] ||
    fail "the stored sentences depend on the process language"
