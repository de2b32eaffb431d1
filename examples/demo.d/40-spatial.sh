# 40-spatial.sh - demo step: are the Lazio municipalities with many low incomes clustered?
# Global Moran's I and LISA of the share of taxpayers under 10,000 EUR (IRPEF 2021), from the store;
# each analysis is recorded as a run with its method card.
echo
echo "== Spatial clusters of low income in Lazio (queen contiguity; Ponza and Ventotene are islands)"
run spatial moran --indicator pct_income_0_10k --period 2021 --islands keep --json >"$out/moran_lazio.json"
run spatial lisa --indicator pct_income_0_10k --period 2021 --islands keep --permutations 999 \
    --seed 1 --out "$out/lisa_lazio.csv"
awk -F, -v I="$(sed -n 's/^ *"I": \(.*\),$/\1/p' "$out/moran_lazio.json")" \
    -v p="$(sed -n 's/^ *"p_randomisation": \(.*\),$/\1/p' "$out/moran_lazio.json")" '
    NR == 1 { for (k = 1; k <= NF; k++) if ($k == "cluster") c = k; next }
    { n[$c]++ }
    END { printf "Moran I = %.3f (two-sided p = %.2g under randomisation); LISA (999 permutations, alpha 0.05): of %d municipalities %d in HH clusters, %d in LL, %d HL, %d LH, %d not significant -> %s\n",
          I, p, NR - 1, n["HH"], n["LL"], n["HL"], n["LH"], n["NS"], FILENAME }' "$out/lisa_lazio.csv"
# the clusters on a map, as GeoDa colours them (HH red, LL blue, LH light blue, HL light red)
"$S" --db "$db" export areas --level municipality --out "$out/lazio.geojson" 2>/dev/null
for ext in svg png; do
    run map --geo "$out/lazio.geojson" --id-field code --name-field name --lisa "$out/lisa_lazio.csv" \
        --title "Clusters of low incomes, Lazio 2021 (LISA, 999 permutations)" \
        --source "MEF IRPEF 2021; boundaries Openpolis on ISTAT data" --licence "CC BY 4.0" \
        --out "$out/lisa_lazio.$ext"
done
