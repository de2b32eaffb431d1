# One writer at a time, on both backends: a second writer waits for the first (SQLite's write
# lock, PostgreSQL's advisory lock of the writers), says on stderr that it waits, and goes on
# when the first commits; with --wait shorter than the first's work it gives up with a message
# that says what to do, exit 1, the store unchanged.
with_regions
# lock HOLD_SECONDS: another program holds the writers' lock for that long, in the background
lock() {
    if is_pg; then
        psql -X -q "$DB" -c "BEGIN" -c "SELECT pg_advisory_xact_lock(1397705796)" \
            -c "SELECT pg_sleep($1)" -c "COMMIT" >/dev/null 2>&1 &
    else
        python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE"); time.sleep(float(sys.argv[2])); c.execute("COMMIT")' "$DB" "$1" &
    fi
    LOCKER=$!
    # the lock is held once the other side's transaction shows
    for _ in $(seq 50); do
        if is_pg; then
            [ "$(store_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] && return
        else
            sqlite3 "$DB" "BEGIN IMMEDIATE; ROLLBACK" 2>/dev/null || return
        fi
        sleep 0.1
    done
    fail "the other writer did not take the lock"
}
before=$(store_digest)
lock 4
sol --wait 1 import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id
expect_exit 1
expect_err "another program is writing to the store \(an import, a publication, the server's edits\) and was still at it after 1 s; try again when it has finished$"
expect_err "or wait longer for it: solidata --wait SECONDS"
[ "$(store_digest)" = "$before" ] || fail "the store changed"
wait "$LOCKER"
# the same, waiting long enough: a note while it waits, then the import
lock 3
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id
expect_exit 0
expect_err "another program is writing to the store \(an import, the server\); waiting for it to finish: [0-9]+ s of at most 600 \(--wait\)"
expect_err "9073 observations written"
wait "$LOCKER"
# --quiet: the wait, without the note
lock 2
t0=$(date +%s%N)
sol --quiet --wait 30 publish auto on
expect_exit 0
[ $(($(date +%s%N) - t0)) -gt 1000000000 ] || fail "publish auto did not wait for the other writer"
if grep -q waiting "$T/err"; then fail "--quiet printed the wait"; fi
wait "$LOCKER"
# the server waits too (30 s by default): a failed sign-in, whose audit row is a write, gets
# its 401 once the other writer commits (on PostgreSQL the server's handles once gave up at once)
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
lock 2
code=$(curl -s -m 30 -o "$T/out" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"wrong-pw"}' "$URL/api/login")
[ "$code" = 401 ] || fail "a sign-in during another write: HTTP $code $(cat "$T/out")"
wait "$LOCKER"
stop_server
# a bad --wait is refused before anything is done
sol --wait -3 indicators
expect_exit 2
