# project-population against demogR's Leslie projection of Venezuela 1965 (Keyfitz and Flieger
# data in demogR's `goodman`; tests/data/demog_goodman), scenarios side by side, summary columns.
R=$TOP/tests/data/demog_goodman
awk -F, 'NR > 1 { print "VEN,F," $1 "," $2; print "VEN,M," $1 "," $2 }' "$R/input.csv" | sed '1i area,sex,age,population' >"$T/base.csv"
awk -F, 'NR > 1 { print $1 "," $5 }' "$R/input.csv" | sed '1i age,rate' >"$T/fert.csv"
awk -F, 'NR > 1 { print "F," $1 "," $3 "," $4; print "M," $1 "," $3 "," $4 }' "$R/input.csv" | sed '1i sex,age,Lx,lx' >"$T/surv.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/surv.csv" \
    --horizon 30 --base-year 1965 --out "$T/long.csv"
expect_exit 0
expect_out '^area,scenario,year,total,children_0_5,people_65_plus,people_75_plus,old_age_dependency$'
expect_lines 8   # 1965, 1970, ..., 1995
# females aged 0-54 at every step equal demogR's projection (relative 1e-9)
awk -F, 'NR > 1 && $4 == "F" && $5 + 0 <= 50 { print ($3 - 1965) / 5 ":" $5 "," $6 }' "$T/long.csv" | sed '1i key,population' >"$T/got.csv"
awk -F, 'NR > 1 { print $1 ":" $2 "," $3 }' "$R/expected.csv" | sed '1i key,population' >"$T/want.csv"
[ "$(close_cols "$T/got.csv" 2 "$T/want.csv" 2 1e-9)" = 77 ] || fail "projection differs from demogR"
# summary figures are sums of the long rows (1995: total, 75+, 65+ per 100 aged 15-64)
tot=$(awk -F, '$3 == 1995 { s += $6 } END { printf "%.6f", s }' "$T/long.csv")
o75=$(awk -F, '$3 == 1995 && $5 + 0 >= 75 { s += $6 } END { printf "%.6f", s }' "$T/long.csv")
dep=$(awk -F, '$3 == 1995 && $5 + 0 >= 65 { o += $6 } $3 == 1995 && $5 + 0 >= 15 && $5 + 0 < 65 { w += $6 } END { printf "%.6f", 100 * o / w }' "$T/long.csv")
awk -F, -v t="$tot" -v o="$o75" -v d="$dep" '$3 == 1995 { if (sprintf("%.6f", $4) != t || sprintf("%.6f", $7) != o || sprintf("%.6f", $8) != d) exit 1 }' "$T/out" || fail "summary differs from the long rows"
# scenarios: fertility x 0.8 / 1 / 1.2 side by side; more births give more children
awk -F, 'NR == 1 { print "scenario," $0; next } { print "low," $1 "," $2 * 0.8; print "central," $0; print "high," $1 "," $2 * 1.2 }' "$T/fert.csv" >"$T/fert3.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert3.csv" --survival "$T/surv.csv" --horizon 20 --base-year 1965
expect_exit 0; expect_lines 16
lo=$(awk -F, '$2 == "low" && $3 == 1985 { print $5 }' "$T/out"); ce=$(awk -F, '$2 == "central" && $3 == 1985 { print $5 }' "$T/out"); hi=$(awk -F, '$2 == "high" && $3 == 1985 { print $5 }' "$T/out")
awk -v a="$lo" -v b="$ce" -v c="$hi" 'BEGIN { exit !(a < b && b < c) }' || fail "scenarios not ordered: $lo $ce $hi"
# migration adds people: 1000 net female immigrants a year aged 20-24 add about 5000 (minus deaths) in 5 years
printf 'sex,age,net\nF,20,1000\n' >"$T/mig.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/surv.csv" --migration "$T/mig.csv" --horizon 5 --out "$T/m.csv"
expect_exit 0
a=$(awk -F, '$3 == 5 && $4 == "F" && $5 == "25" { print $6 }' "$T/m.csv"); b=$(awk -F, '$3 == 5 && $4 == "F" && $5 == "25" { print $6 }' "$T/long.csv" | head -1)
b=$(awk -F, '$3 == 1970 && $4 == "F" && $5 == "25" { print $6 }' "$T/long.csv")
awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d > 4900 && d < 5000) }' || fail "migration: $a vs $b"
sol project-population --help; expect_exit 0; expect_out 'Cohort-component'
