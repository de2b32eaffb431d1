# The connection lost in the middle of an import (its server process terminated from another
# session): the import fails with a message, and the store is as it was before, one transaction.
pg_only
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year --indicator-field indicator_id
expect_exit 0
snapshot
# a long file: 20 regions x 40 years x 1500 indicators
awk 'BEGIN { print "reg_code,year,indicator_id,value";
    for (i = 0; i < 1500; i++) for (y = 1980; y < 2020; y++) for (r = 1; r <= 20; r++)
        printf "%02d,%d,big%d,%d.5\n", r, y, i, i + y + r }' >"$T/big.csv"
"$SOLIDATA" --db "$DB" import data "$T/big.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id >"$T/out" 2>"$T/err" &
pid=$!
killed=0
for _ in $(seq 1 400); do
    n=$(store_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE
        datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        AND xact_start IS NOT NULL AND query NOT LIKE '%pg_stat_activity%'")
    [ "$n" -gt 0 ] && { killed=1; break; }
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
set +e; wait $pid; rc=$?; set -e
[ "$killed" = 1 ] || fail "the import ended before it could be interrupted"
expect_exit 1
grep -qiE "terminat|connection|server closed" "$T/err" || fail "message: $(cat "$T/err")"
expect_unchanged
sol catalog; expect_exit 0
grep -q big.csv "$T/out" && fail "the interrupted import is in the catalog"
sol audit verify; expect_exit 0
