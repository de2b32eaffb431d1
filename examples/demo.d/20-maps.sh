# 20-maps.sh - demo step: choropleth maps from the store (SVG for the web, PNG and PDF to print).
echo "== Maps: where low incomes concentrate in Lazio, and low pensions across Italy"
run map --indicator pct_income_0_10k --period 2021 --out "$out/lazio_low_income_2021.svg"
run map --indicator pct_income_0_10k --period 2021 --out "$out/lazio_low_income_2021.png"
run map --indicator pct_income_0_10k --period 2021 --out "$out/lazio_low_income_2021.pdf"
run map --indicator 04BEC006P --classes jenks --out "$out/italy_low_pensions.png"
# a count of persons: municipalities with fewer than 10 taxpayers above 120,000 EUR are hatched
# and labelled "suppressed", never drawn as a value
run map --indicator inc_gt120k_n --period 2021 --out "$out/lazio_top_incomes_2021.svg"
grep -c 'suppressed (small count)' "$out/lazio_top_incomes_2021.svg" |
    awk '{print "  " $1 " municipalities withheld (counts below 10) on lazio_top_incomes_2021.svg"}'
