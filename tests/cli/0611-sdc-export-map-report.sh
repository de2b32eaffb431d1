# Disclosure control of the store's counts on every CLI output: export data (empty + flag, never
# 0; --unsuppressed audited), the map (hatched, labelled), the report; secondary suppression so
# that no suppressed province is recovered from its region's total; k per dataset.
. "$TOP/tests/cli/sdc_lib.sh"
sdc_store
expect_err "counts.csv: imported as source 'counts.csv'"
sol export data --indicator poor; expect_exit 0
expect_err "4 values withheld by disclosure control"
expect_out '^P1,2023,poor,,,suppressed$'; expect_out '^P6,2023,poor,,,suppressed$'
expect_out '^R1,2023,poor,100,,$'
# small counts never leave, as a value or as zero
grep -E '^(P1|P6),.*,(4|5|0)(\.0*)?,' "$T/out" && fail "a small count left the store"
# recovery by subtraction: every region's suppressed provinces are none or at least two, and
# the region minus its published provinces never equals one suppressed province
awk -F, 'NR > 1 { v[$1] = $4; s[$1] = ($6 == "suppressed") }
    END { split("R1:P1 P2 P3 P4,R2:P5 P6", g, ",");
          for (i in g) { split(g[i], a, ":"); n = split(a[2], kids, " "); ns = 0; rest = v[a[1]];
              for (j = 1; j <= n; j++) if (s[kids[j]]) ns++; else rest -= v[kids[j]];
              if (ns == 1) { print "one suppressed province in " a[1]; exit 1 }
              for (j = 1; j <= n; j++) if (s[kids[j]] && ns == 1) exit 1 } }' "$T/out" \
    || fail "a suppressed cell is recoverable by subtraction"
store_sql "SELECT a.code FROM observation o JOIN area a ON a.id = o.area_id
  WHERE o.sdc = 2 ORDER BY a.code" | paste -sd, - | grep -qx 'P3,P5' || fail "secondary suppression: expected P3 (smallest of R1) and P5"
# a rate is not a count: nothing withheld
sol export data --indicator rate; expect_exit 0; expect_out '^P1,2023,rate,0.05'
grep -q suppressed "$T/out" && fail "rate suppressed"
# an analyst's unsuppressed export is recorded first
sol export data --indicator poor --unsuppressed; expect_exit 0
expect_out '^P1,2023,poor,4,,suppressed$'; expect_err "recorded in the audit log"
sol audit list; expect_out ',export.unsuppressed,'
sol audit verify; expect_exit 0
# map: P1's polygon is drawn as no data, labelled suppressed, its value nowhere in the SVG
sol map --indicator poor --out "$T/m.svg"; expect_exit 0
grep -q 'data-code="P1" data-value=""' "$T/m.svg" || fail "P1 has a value on the map"
grep -q 'P1: suppressed (small count)' "$T/m.svg" || fail "P1 not labelled suppressed"
grep -q 'Suppressed (small count)' "$T/m.svg" || fail "no suppressed legend row"
grep -q 'data-value="4"' "$T/m.svg" && fail "the small count is on the map"
# report: the withheld areas are named as such, their counts are absent
sol report --out "$T/r.html" --indicators poor --area P1; expect_exit 0
grep -q '4 areas are withheld' "$T/r.html" || fail "report does not say what is withheld"
grep -q '<td>withheld (statistical disclosure control)</td>' "$T/r.html" || fail "the profile shows P1's count"
# k per dataset: budget set NAME --min-cell K recomputes (k 3 publishes P1 = 4 and P6 = 5)
sol budget set counts.csv --min-cell 3; expect_exit 0; expect_out ',3$'
sol export data --indicator poor; expect_out '^P1,2023,poor,4,,$'
grep -q suppressed "$T/out" && fail "still suppressed with k = 3"
sol audit list; expect_out ',privacy.min_cell.set,'
# import --min-cell: a new version of the file with k 45 withholds more
sed 's/^P6,2023,5/P6,2023,6/' "$T/counts.csv" >"$T/c2.csv"
sol import data "$T/c2.csv" --source counts.csv --area-field code --period-field year --min-cell 45
expect_exit 0
sol export data --indicator poor; expect_out "^P4,2023,poor,,,suppressed$"; expect_out "^R1,2023,poor,100,,$"
# P5 = 45 is not below k = 45 but is the only complement of P6 in R2
store_sql "SELECT o.sdc FROM observation o JOIN area a ON a.id = o.area_id JOIN indicator i ON i.id = o.indicator_id WHERE a.code = 'P5' AND i.code = 'poor'" | grep -qx 2 || fail "P5 not a secondary suppression"
