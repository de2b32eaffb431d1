# The report's "Emerging needs" section: the latest alerts run's worsening alerts, strongest
# first, each its own sentence in the report's language; --area keeps that area's alerts.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
sol alerts --since 2019 --json; expect_exit 0
cp "$T/out" "$T/alerts.json"
first_fr=$(jq -r '[.alerts[] | select(.direction == "worsening")][0].sentence.fr' "$T/alerts.json")
[ -n "$first_fr" ] && [ "$first_fr" != null ] || fail "no worsening alert to check"
sol report --out "$T/atlas.html" --lang fr; expect_exit 0
grep -q '<h2>Besoins émergents</h2>' "$T/atlas.html" || fail "no emerging-needs section"
esc=$(printf '%s' "$first_fr" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
grep -qF "1. $esc" "$T/atlas.html" || grep -qF "1. $(printf '%s' "$esc" | sed "s/'/\&#39;/g")" "$T/atlas.html" ||
    fail "the first worsening alert is not the report's first: $first_fr"
area=$(jq -r '[.alerts[] | select(.direction == "worsening")][0].area' "$T/alerts.json")
n=$(jq --arg a "$area" '[.alerts[] | select(.direction == "worsening" and .area == $a)] | length' "$T/alerts.json")
sol report --out "$T/area.html" --area "$area"; expect_exit 0
[ "$(grep -cE '<p>[0-9]+\. ' "$T/area.html")" -ge "$n" ] || fail "the area's $n alerts are not all listed"
sol report --out "$T/atlas.pdf" --lang it; expect_exit 0
