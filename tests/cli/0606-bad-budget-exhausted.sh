# DP releases spend the dataset's budget; the one that would overspend is refused, writes
# nothing and leaves the ledger as it was
awk 'BEGIN { srand(5); print "area"; for (i = 0; i < 2000; i++) printf "A%d\n", int(rand() * 8) }' >"$T/m.csv"
printf 'A%d\n' 0 1 2 3 4 5 6 7 >"$T/areas.txt" # the public list of categories
sol budget set survey --epsilon 1 --min-cell 5; expect_exit 0
expect_out '^survey,1.000000000,0.000000000,1.000000000,'
sol tabulate --microdata "$T/m.csv" --rows area --min-cell 5 --categories-rows "$T/areas.txt" --dp-epsilon 0.6 --seed s1 --dataset survey --out "$T/a.csv"
expect_exit 0; expect_err "epsilon 0.6 spent from dataset 'survey'"
sol tabulate --microdata "$T/m.csv" --rows area --min-cell 5 --categories-rows "$T/areas.txt" --dp-epsilon 0.4 --dp-mechanism gaussian --dataset survey --out "$T/b.csv"
expect_exit 0
snapshot
sol tabulate --microdata "$T/m.csv" --rows area --min-cell 5 --categories-rows "$T/areas.txt" --dp-epsilon 0.000000001 --dataset survey --out "$T/c.csv"
expect_exit 1; expect_err "privacy budget of dataset 'survey' exhausted: 1.000000000 of epsilon 1.000000000 spent in 2 release"
[ ! -e "$T/c.csv" ] || fail "a refused release wrote its table"
expect_unchanged
sol budget show survey; expect_exit 0; expect_out '^survey,1.000000000,1.000000000,0.000000000,.*,2,5$'
# the dataset's minimum cell size is a floor
sol tabulate --microdata "$T/m.csv" --rows area --min-cell 3 --record --dataset survey --out "$T/d.csv"
expect_exit 1; expect_err "requires a minimum cell size of at least 5"
# same seed, same noise
sol budget set s2 --epsilon 10; expect_exit 0
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/areas.txt" --dp-epsilon 1 --seed x --dataset s2 --out "$T/e1.csv"; expect_exit 0
sol tabulate --microdata "$T/m.csv" --rows area --categories-rows "$T/areas.txt" --dp-epsilon 1 --seed x --dataset s2 --out "$T/e2.csv"; expect_exit 0
cmp -s "$T/e1.csv" "$T/e2.csv" || fail "same seed, different noise"
# noisy margins are the sums of the noisy cells
awk -F, 'NR > 1 && $1 != "_total" && $4 == "" { s += $3 } $1 == "_total" && $4 == "" { t = $3 } END { exit !(t == "" || s <= t) }' "$T/e1.csv" || fail "margins"
