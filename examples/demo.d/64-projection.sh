# 64-projection.sh - demo step: a cohort-component population projection, scenarios side by side.
# No Italian age structure is bundled: the input is the Venezuela 1965 reference population
# (Keyfitz and Flieger, as shipped by R's demogR `goodman`, see examples/data/README.md), women
# only in the source; men are taken equal to women here, for illustration.
echo
echo "== Population projection 1965-1990 by the cohort-component method (reference data: Venezuela 1965)"
v="$D/demog_venezuela1965.csv"
awk -F, 'NR > 1 { print "VEN,F," $1 "," $2; print "VEN,M," $1 "," $2 }' "$v" | sed '1i area,sex,age,population' >"$out/proj_base.csv"
awk -F, 'NR > 1 { print "low," $1 "," $5 * 0.8; print "central," $1 "," $5; print "high," $1 "," $5 * 1.2 }' "$v" |
    sed '1i scenario,age,rate' >"$out/proj_fertility.csv"
awk -F, 'NR > 1 { print "F," $1 "," $3 "," $4; print "M," $1 "," $3 "," $4 }' "$v" | sed '1i sex,age,Lx,lx' >"$out/proj_survival.csv"
printf 'sex,age,net\nF,20,-2000\nM,20,-2000\nF,25,-1000\nM,25,-1000\n' >"$out/proj_migration.csv"
run --quiet project-population --base "$out/proj_base.csv" --fertility "$out/proj_fertility.csv" \
    --survival "$out/proj_survival.csv" --migration "$out/proj_migration.csv" --horizon 25 \
    --base-year 1965 --out "$out/projection.csv" >"$out/projection_summary.csv"
echo "  scenario  year  total        children 0-5  people 75+  old-age dependency (65+ per 100 aged 15-64)"
awk -F, 'NR > 1 && ($3 == 1965 || $3 == 1990) { printf "  %-8s  %s  %11.0f  %12.0f  %10.0f  %5.1f\n", $2, $3, $4, $5, $7, $8 }' \
    "$out/projection_summary.csv"
echo "  fertility x 0.8 / 1 / 1.2 (low, central, high); 3000 net emigrants a year aged 20-29 (illustrative)"
echo "  files: $out/projection.csv (by age and sex), $out/projection_summary.csv"
