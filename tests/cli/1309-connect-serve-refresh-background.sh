# serve --refresh: the server refreshes the due connectors in a thread of its own (with its own
# store handle), right after it starts and then every minute.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol init
add_nidi --every 1h
expect_exit 0
serve --refresh
for _ in $(seq 1 100); do
    [ "$(store_sql 'SELECT count(*) FROM connector_fetch')" = 1 ] && break
    sleep 0.1
done
[ "$(store_sql 'SELECT outcome FROM connector_fetch')" = new-version ] || fail "no background refresh: $(cat "$T/serve.log")"
get /api/health; expect_code 200
stop_server
sol catalog
expect_out '^[0-9]+,nidi,1,current,sdmx,'
sol refresh --due
expect_exit 0; expect_err "no connector is due"
