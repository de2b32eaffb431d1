# setup_connect.sh - browser-test setup of the connectors (sourced by run.sh with s, $T, $top):
# Istat's recorded answers replayed on 127.0.0.1 (tests/connect/replay.py, stopped with the
# run), a connector "nidi" added and refreshed once; the replay then serves the revised answer
# (Agliè 2023: 20 -> 25), which the test fetches with the dashboard's "Refresh now". The two
# Piedmont municipalities are areas of a level of their own ("piemonte"), so that the other
# tests' levels keep their areas.
cdir=$T/connect
mkdir -p "$cdir"
echo normal >"$cdir/mode"
python3 "$top/tests/connect/replay.py" --port-file "$cdir/port" --mode-file "$cdir/mode" \
    --exit-with $$ 2>"$cdir/replay.log" &
for _ in $(seq 1 100); do [ -s "$cdir/port" ] && break; sleep 0.05; done
[ -s "$cdir/port" ] || fail_setup "the replay server did not start: $(cat "$cdir/replay.log")"
export SOLIDATA_PROVIDER_URL_ISTAT="http://127.0.0.1:$(cat "$cdir/port")/SDMXWS/rest"
export SOLIDATA_CACHE=$cdir/cache
printf 'code,name\n001001,Agliè\n001002,Airasca\n' >"$cdir/names.csv"
s connect add nidi --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1 \
    --add-areas --level piemonte --area-names "$cdir/names.csv"
s refresh nidi
echo revised >"$cdir/mode"
