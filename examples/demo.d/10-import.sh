# 10-import.sh - demo step: the bundled boundaries and indicators into the store, with provenance.
echo "== Boundaries: 20 Italian regions and 378 municipalities of Lazio (Openpolis, CC BY 4.0)"
run import areas "$D/italy_regions.geojson" --code-field reg_code --name-field reg_name \
    --level region --source "Openpolis regions 2023.1" --licence "CC BY 4.0" \
    --attribution "Confini: Openpolis (geojson-italy, CC BY 4.0) su dati ISTAT"
run import areas "$D/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --parent-field prov_code --level municipality --source "Openpolis Lazio municipalities 2023.1" \
    --licence "CC BY 4.0" --attribution "Confini comunali: Openpolis (geojson-italy, CC BY 4.0) su dati ISTAT"

echo "== Indicators: Istat BES regional well-being 2015-2024 and MEF IRPEF income by municipality"
run import data "$D/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$D/bes_indicators.csv" \
    --source "Istat BES dei territori (regions)" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat, BES dei territori (DF_BES_TERRIT_0T), elaborazione da nmaiese/diset-viz"
# the *_n columns and taxpayers are numbers of persons: counts below 10 (and the complements
# that protect them) leave the store only as "suppressed", on the dashboard, maps and exports
irpef_counts=taxpayers,taxable_income_n,employee_income_n,pension_income_n,self_employed_income_n
irpef_counts=$irpef_counts,building_income_n,net_tax_n,inc_le0_n,inc_0_10k_n,inc_10k_15k_n
irpef_counts=$irpef_counts,inc_15k_26k_n,inc_26k_55k_n,inc_55k_75k_n,inc_75k_120k_n,inc_gt120k_n
run import data "$D/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$D/lazio_irpef_indicators.csv" --count-indicators "$irpef_counts" --min-cell 10 \
    --source "MEF IRPEF su base comunale (Lazio)" --licence "CC BY 4.0 (open data, CAD art. 52)" \
    --attribution "Fonte: MEF - Dipartimento delle Finanze, dichiarazioni IRPEF su base comunale"

echo "== Importing the same file again changes nothing"
run import data "$D/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --source "Istat BES dei territori (regions)"

