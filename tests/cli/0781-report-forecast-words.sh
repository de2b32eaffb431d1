# The atlas' forecasts say what the model says: a flat forecast "stays about X", a falling one
# "continues to fall to about X", a rising one "continues to rise to about X", each with its 80%
# range in words and the last observed value, in the atlas' language.
grid_geojson "$T/grid.geojson" 2
# c00 and c11 level with a little noise, c01 falling, c10 rising (14 years)
awk 'BEGIN { print "code,year,need";
  split("0.1,-0.1,0,0.2,-0.2,0,0.1,-0.1,0,0.1,-0.1,0,0.1,0", e, ",");
  for (t = 1; t <= 14; t++) { y = 2009 + t;
    printf "c00,%d,%.2f\n", y, 10 + e[t];
    printf "c01,%d,%.2f\n", y, 30 - 1.5 * t + e[t];
    printf "c10,%d,%.2f\n", y, 5 + 1.2 * t + e[t];
    printf "c11,%d,%.2f\n", y, 12 + e[t] } }' >"$T/need.csv"
printf 'code,label,polarity\nneed,Households in need,lower_better\n' >"$T/meta.csv"
sol import areas "$T/grid.geojson" --code-field code --level cell; expect_exit 0
sol import data "$T/need.csv" --area-field code --period-field year --indicator-meta "$T/meta.csv"
expect_exit 0
# before any forecast: the atlas says which indicators have none
sol report --out "$T/none.html" --lang fr --indicators need; expect_exit 0
grep -q "Aucune prévision n'a été calculée pour l'indicateur de cet atlas (« Households in need »)" "$T/none.html" ||
    fail "no word on the missing forecast"
sol forecast --indicator need --horizon 3 --out "$T/f.csv"; expect_exit 0
last() { awk -F, -v c="$1" '$1 == c && $2 == 2026 { print $3 }' "$T/f.csv"; }
# French
sol report --out "$T/fr.html" --lang fr --indicators need; expect_exit 0
grep -q '<p>c00 : « Households in need » reste autour de 10,0[0-9]* jusqu.en 2026 (entre [0-9,]* et [0-9,]*, 8 fois sur 10) ; la dernière valeur, en 2023, était de 10.</p>' "$T/fr.html" ||
    fail "c00: no flat forecast in French"
grep -q '<p>c01 : « Households in need » continue de baisser jusqu.à environ 4,[0-9]* en 2026 (entre' "$T/fr.html" ||
    fail "c01: no falling forecast in French"
grep -q '<p>c10 : « Households in need » continue de monter jusqu.à environ 25,[0-9]* en 2026' "$T/fr.html" ||
    fail "c10: no rising forecast in French"
grep -q "si la tendance se poursuit\|if the trend continues" "$T/fr.html" && fail "a trend said of a forecast"
# English, the numbers of the forecast run
sol report --out "$T/en.html" --indicators need; expect_exit 0
m=$(printf '%.4g' "$(last c01)")
grep -q "c01: &quot;Households in need&quot; continues to fall to about $m in 2026 (between [0-9.]* and [0-9.]*, 8 times out of 10); the last value, in 2023, was 9.</p>" "$T/en.html" ||
    fail "c01: no falling forecast to $m in English"
grep -q "c11: &quot;Households in need&quot; stays about 12.0[0-9]* until 2026" "$T/en.html" || fail "c11: not flat in English"
# Italian
sol report --out "$T/it.html" --lang it --indicators need; expect_exit 0
grep -q '<p>c01: «Households in need» continua a scendere fino a circa 4,[0-9]* nel 2026 (tra' "$T/it.html" ||
    fail "c01: no falling forecast in Italian"
grep -q '<h2>Previsioni</h2>' "$T/it.html" || fail "no forecast section in Italian"
