# A DP table's categories come from a public list: listed but absent categories are released
# (noised zeros), a category outside the list is refused before any budget is spent, and without
# a list the release is refused unless --categories-from-data says so (stderr and card).
awk 'BEGIN { srand(3); print "area,sex"; for (i = 0; i < 1500; i++) printf "A%d,%s\n", int(rand() * 5), (rand() < .5 ? "F" : "M") }' >"$T/m.csv"
printf 'A0\nA1\nA2\nA3\nA4\nA9\n' >"$T/areas.txt"
printf 'F\r\nM\r\nX\r\n' >"$T/sex.txt" # CRLF and a category absent from the data
sol budget set s --epsilon 3; expect_exit 0
sol tabulate --microdata "$T/m.csv" --rows area --cols sex --categories-rows "$T/areas.txt" \
    --categories-cols "$T/sex.txt" --dp-epsilon 1 --seed k --dataset s --record --out "$T/t.csv"
expect_exit 0
# every listed pair is a cell (6 x 3 inner + margins), A9 and X included
[ "$(grep -c '^A9,' "$T/t.csv")" = 4 ] || fail "A9 not released with every column and its total"
grep -q '^A0,X,' "$T/t.csv" || fail "column X not released"
[ "$(($(wc -l <"$T/t.csv") - 1))" = 28 ] || fail "expected 7 x 4 entries"
sol card 1; expect_exit 0; expect_out 'categories: public lists .*areas.txt \(6 rows\) and .*sex.txt \(3 columns\)'
# a category in the data but not in the list: refused with file:line:col, nothing spent
printf 'A0\nA1\nA2\nA3\n' >"$T/short.txt"
snapshot
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/short.txt" --dp-epsilon 1 --dataset s --out "$T/u.csv"
expect_exit 1; expect_err "m.csv:[0-9]+:1: category 'A4' of 'area' is not in the public list"
[ ! -e "$T/u.csv" ] || fail "a refused release wrote its table"
expect_unchanged
# no list: refused (usage), unless the categories from the data are accepted, and then said
sol tabulate --microdata "$T/m.csv" --rows area --dp-epsilon 1 --dataset s --out "$T/v.csv"
expect_exit 2; expect_err "needs the public list of its categories \(--categories-rows F\)"
expect_unchanged
sol tabulate --microdata "$T/m.csv" --rows area --dp-epsilon 1 --dataset s --categories-from-data --record --out "$T/v.csv"
expect_exit 0; expect_err "the categories come from the data"
sol card 2; expect_exit 0; expect_out 'categories: from the data'
# bad lists
printf 'A0\nA0\n' >"$T/dup.txt"
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/dup.txt" --dp-epsilon 1 --dataset s --out "$T/w.csv"
expect_exit 1; expect_err "names 'A0' twice"
printf '\n\n' >"$T/empty.txt"
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/empty.txt" --dp-epsilon 1 --dataset s --out "$T/w.csv"
expect_exit 1; expect_err "no categories"
sol tabulate --microdata "$T/m.csv" --rows area --categories-cols "$T/sex.txt" --out "$T/w.csv"
expect_exit 2; expect_err "needs --cols"
# without DP a list also fixes the rows (suppression only)
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/areas.txt" --out "$T/x.csv"
expect_exit 0; grep -q '^A9,_total,0,$' "$T/x.csv" || fail "A9 not a published zero"
