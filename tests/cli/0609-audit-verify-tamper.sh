# the audit log is hash-chained: verify passes, then detects an altered, a deleted and a
# reordered entry, and a removed tail against a recorded head
awk 'BEGIN { print "area"; for (i = 0; i < 300; i++) printf "A%d\n", i % 4 }' >"$T/m.csv"
for i in 1 2 3 4; do
    sol budget set "d$i" --epsilon 1; expect_exit 0
done
sol audit verify; expect_exit 0; expect_out "^audit: 4 entries, chain intact; head [0-9a-f]{64}$"
head=$(awk '{print $NF}' "$T/out")
sol audit list; expect_exit 0; expect_lines 5; expect_out '^2,.*,privacy.budget.set,'
# the store refuses edits outright
store_sql "UPDATE audit SET who = 'x' WHERE id = 2" 2>/dev/null && fail "an update was allowed"
store_save orig
unguard=$unguard_audit
store_sql "$unguard UPDATE audit SET detail = replace(detail, '1.0', '9.0') WHERE id = 3"
sol audit verify; expect_exit 1; expect_err "audit log broken at entry 3"
store_restore orig
store_sql "$unguard DELETE FROM audit WHERE id = 2"
sol audit verify; expect_exit 1; expect_err "entry 2 is missing"
store_restore orig
store_sql "$unguard UPDATE audit SET id = 99 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 99"
sol audit verify; expect_exit 1; expect_err "broken at entry 2"
store_restore orig
store_sql "$unguard DELETE FROM audit WHERE id = 4"
sol audit verify; expect_exit 0
sol audit verify --head "$head"; expect_exit 1; expect_err "no longer in the chain"
