# tabulate: long form with margins; cells of 1..k-1 suppressed, zeros published, and no line
# (row or column, margins included) left with exactly one suppressed entry
awk 'BEGIN { srand(3); print "area,sex,w";
  for (i = 0; i < 3000; i++) printf "A%02d,%s,%.1f\n", int(rand() * rand() * 40), (rand() < 0.3 ? "F" : "M"), 1 + rand() }' >"$T/m.csv"
sol tabulate --microdata "$T/m.csv" --rows area --cols sex --min-cell 10 --out "$T/t.csv"
expect_exit 0; expect_err "suppressed [0-9]+ primary \(1..9\) \+ [0-9]+ secondary"
head -1 "$T/t.csv" | grep -qx 'row,col,count,flag' || fail "header"
grep -q '^_total,_total,3000,$' "$T/t.csv" || fail "grand total"
grep -qE ',suppressed$' "$T/t.csv" || fail "nothing suppressed"
awk -F, 'NR > 1 && $4 == "" && $3 > 0 && $3 < 10 { print "published small cell: " $0; bad = 1 }
         NR > 1 && $4 == "suppressed" && $3 != "" { print "suppressed but shown: " $0; bad = 1 }
         NR > 1 { if ($4 == "suppressed") { r[$1]++; c[$2]++ } else { r[$1] += 0; c[$2] += 0 } }
         END { for (k in r) if (r[k] == 1) { print "row " k " has one suppressed"; bad = 1 }
               for (k in c) if (c[k] == 1) { print "col " k " has one suppressed"; bad = 1 }
               exit bad }' "$T/t.csv" || fail "suppression pattern"
# published cells add up to the margins where a row has nothing suppressed
awk -F, 'NR > 1 && $1 != "_total" { if ($2 == "_total") tot[$1] = $3; else { s[$1] += $3; if ($4 != "") sup[$1] = 1 } }
         END { for (k in tot) if (!sup[k] && tot[k] != "" && s[k] != tot[k]) { print k; exit 1 } }' "$T/t.csv" || fail "rows do not add up"
# one-way, weighted
sol tabulate --microdata "$T/m.csv" --rows sex --weight w --min-cell 10 --out "$T/w.csv"
expect_exit 0
grep -qE '^F,_total,[0-9.]+,$' "$T/w.csv" || fail "weighted one-way"
# a '_total' category is refused
printf 'area\nA\n_total\n' >"$T/bad.csv"
sol tabulate --microdata "$T/bad.csv" --rows area --out "$T/b.csv"
expect_exit 1; expect_err "bad.csv:3:1: the category '_total' is reserved"
[ ! -e "$T/b.csv" ] || fail "output left behind"
