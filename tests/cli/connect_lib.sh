# connect_lib.sh - helpers for the connector tests (1300-1349): the replay server of the recorded
# Istat answers (tests/connect/replay.py) on 127.0.0.1, a download cache of the test's own, short
# retry delays.
REPLAY=$TOP/tests/connect/replay.py
export SOLIDATA_CACHE=$T/cache
export SOLIDATA_HTTP_BACKOFF_MS=20
# replay [MODE]: start the replay server; ISTAT's endpoint points at it
replay() {
    echo "${1:-normal}" >"$T/mode"
    python3 "$REPLAY" --port-file "$T/rport" --mode-file "$T/mode" --log "$T/replay.log" \
        --data "${REPLAY_DATA:-$TOP/tests/data/connect}" \
        ${REPLAY_FEATURES:+--features "$REPLAY_FEATURES"} 2>"$T/replay.err" &
    REPLAY_PID=$!
    for _ in $(seq 1 100); do [ -s "$T/rport" ] && break; sleep 0.05; done
    [ -s "$T/rport" ] || fail "the replay server did not start: $(cat "$T/replay.err")"
    RPORT=$(cat "$T/rport")
    export SOLIDATA_PROVIDER_URL_ISTAT="http://127.0.0.1:$RPORT/SDMXWS/rest"
    at_exit "kill $REPLAY_PID 2>/dev/null || true"
}
mode() { echo "$1" >"$T/mode"; }
# the Istat connector of the recorded answer (two Piedmont municipalities, added as areas)
add_nidi() {
    sol connect add nidi --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1 \
        --add-areas --level municipality "$@"
}
# the store's data, not counting the connectors' bookkeeping (last check, fetch rows)
data_digest() {
    store_sql .dump | grep -v -e '^INSERT INTO connector' -e 'INSERT INTO "\?connector' | sha256sum | cut -d' ' -f1
}
