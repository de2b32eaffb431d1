# 30-index.sh - demo step: a regional well-being index from the BES data in the store (AMPI over
# 2019 and 2023, Monte Carlo rank intervals), recorded as a run; the spec and its rationale are in
# examples/bes-wellbeing.json. Prints the top and bottom three regions of the latest year.
echo
echo "== Regional well-being index: 10 BES indicators, 7 domains, AMPI 2019 and 2023 (examples/bes-wellbeing.json)"
run index --spec "$(dirname "$D")/bes-wellbeing.json" --out "$out/index_bes.csv"
run_id=$("$S" --db "$db" runs --kind index 2>/dev/null | awk -F, 'NR == 2 { print $1 }')
latest=$(awk -F, 'END { print $2 }' "$out/index_bes.csv")
# the profile sentences of the run's result: period, rank and sentence per area
"$S" --db "$db" runs show "$run_id" | awk '
    /"rows": \[/ { on = 1 }
    on && /^ *"period": "/ { p = $0; sub(/^ *"period": "/, "", p); sub(/",?$/, "", p) }
    on && /^ *"rank": / { r = $2; sub(/,$/, "", r) }
    on && /^ *"profile": "/ { s = $0; sub(/^ *"profile": "/, "", s); sub(/",?$/, "", s)
                              print p "\t" r + 0 "\t" s }' |
    awk -F'\t' -v y="$latest" '$1 == y' | sort -t"$(printf '\t')" -k2,2n >"$out/index_bes_profiles.tsv"
echo "Top three regions in $latest (rank, 90% rank interval over 2000 draws of weights and methods):"
head -n 3 "$out/index_bes_profiles.tsv" | cut -f3 | sed 's/^/  /'
echo "Bottom three regions in $latest:"
tail -n 3 "$out/index_bes_profiles.tsv" | cut -f3 | sed 's/^/  /'
echo "All regions, both years: $out/index_bes.csv; method card: solidata --db $db runs show $run_id"
