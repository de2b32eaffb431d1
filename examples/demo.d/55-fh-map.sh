# 55-fh-map.sh - demo step: the Fay-Herriot estimates of step 50 on a map, from the store.
echo "== The small-area estimates on a map"
run map --indicator FH_LOWINC_0_10K --period 2021 --title "Share of taxpayers under 10,000 EUR (Fay-Herriot EBLUP)" \
    --out "$out/fh_lazio.png"
run map --indicator FH_LOWINC_0_10K --period 2021 --title "Share of taxpayers under 10,000 EUR (Fay-Herriot EBLUP)" \
    --out "$out/fh_lazio.svg"
