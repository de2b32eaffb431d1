# 65-privacy.sh - demo step: microdata never leave in identifiable form. The person ids of the
# (synthetic) EU-SILC file are pseudonymised with a key kept outside the data, and the table that
# is published passes small-cell suppression, then differential privacy against the store's budget.
echo "== Privacy: pseudonyms, a published table with small cells suppressed, and a noisy release"
micro=$here/../tests/data/poverty_eusilc/eusilc.csv
rm -f "$out/demo.key"
run keygen --out "$out/demo.key"
run pseudonymise --key-file "$out/demo.key" --id-column rb030 "$micro" >"$out/eusilc_pseudonymised.csv"
# region x citizenship: several cells hold fewer than 10 persons
run tabulate --microdata "$out/eusilc_pseudonymised.csv" --rows db040 --cols pb220a --min-cell 10 \
    --out "$out/table_region_citizenship.csv"
awk -F, 'NR > 1 && $4 == "suppressed" {n++} NR > 1 {t++}
    END {printf "  published %d cells, %d suppressed (primary and secondary): %s\n", t, n, FILENAME}' \
    "$out/table_region_citizenship.csv"
run budget set eusilc-demo --epsilon 2 --min-cell 10
# the categories of a DP release come from a public list (the nine Austrian Länder), not from
# the data, so that which categories occur does not leak
printf '%s\n' Burgenland Carinthia 'Lower Austria' Salzburg Styria Tyrol 'Upper Austria' Vienna \
    Vorarlberg >"$out/regions_public_list.txt"
run tabulate --microdata "$out/eusilc_pseudonymised.csv" --rows db040 --min-cell 10 \
    --categories-rows "$out/regions_public_list.txt" \
    --dp-epsilon 0.5 --dataset eusilc-demo --seed 2026 --out "$out/table_region_dp.csv"
run budget show eusilc-demo
