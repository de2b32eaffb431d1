# 67-connect.sh - demo step: a connector to Istat ("once only"). Istat's real answers, recorded by
# the sdmx1 project (tests/data/connect), are replayed on 127.0.0.1: dataflow 47_850, places
# authorised in socio-educational services for young children in Agliè and Airasca (Piedmont).
# Refreshed twice (the second time nothing changes and nothing is written), then a revised
# answer (Agliè 2023: 20 -> 25, made by tests/data/connect/make_revised.py) shows the revision
# among the emerging needs.
echo
echo "== A connector to Istat: values that stay current by themselves (replayed recorded answers)"
top=$(cd "$here/.." && pwd)
cdir=$out/connect
rm -rf "$cdir"
mkdir -p "$cdir"
echo normal >"$cdir/mode"
python3 "$top/tests/connect/replay.py" --port-file "$cdir/port" --mode-file "$cdir/mode" 2>"$cdir/replay.log" &
replay_pid=$!
for _ in $(seq 1 100); do [ -s "$cdir/port" ] && break; sleep 0.05; done
export SOLIDATA_PROVIDER_URL_ISTAT="http://127.0.0.1:$(cat "$cdir/port")/SDMXWS/rest"
export SOLIDATA_CACHE=$cdir/cache
# the two municipalities are not in the Lazio store: they are added as areas, named from this list
# (Istat's codelist CL_ITTER107 is not among the recorded answers)
printf 'code,name\n001001,Agliè\n001002,Airasca\n' >"$cdir/names.csv"
run connect search socio-educativi infanzia --provider ISTAT --lang it
run connect add nidi --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1 \
    --add-areas --level municipality --area-names "$cdir/names.csv" --every 7d
run refresh nidi
echo "  -- again: the provider answers 'not modified'"
run refresh nidi
echo "  -- Istat revises a figure"
echo revised >"$cdir/mode"
run refresh nidi
echo "  -- the emerging needs now begin with the revision:"
run_head 3 alerts --latest --lang it
kill "$replay_pid" 2>/dev/null || true
wait "$replay_pid" 2>/dev/null || true
unset SOLIDATA_PROVIDER_URL_ISTAT SOLIDATA_CACHE
