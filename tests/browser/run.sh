#!/bin/bash
# run.sh BUILD SOLIDATA - the browser tests: build a store from the bundled data (20 regions with
# the BES indicators, 378 Lazio municipalities with IRPEF income, one analyst, one recorded run),
# serve it on a free loopback port, install playwright-core from the lock file (never a browser),
# and drive Debian's chromium. Screenshots land in BUILD/browser; counts in BUILD/results/browser.
set -u
build=$(cd "$1" && pwd)
solidata=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
D=$top/examples/data
out=$build/browser
mkdir -p "$out" "$build/results"
rm -f "$out"/FAIL-*.png # screenshots of failures from an earlier run
record() { echo "$1 $2" > "$build/results/browser"; echo "browser: $1 passed, $2 failed"; }
fail_setup() { echo "browser: $*"; record 0 1; exit 1; }

chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || fail_setup "no chromium at $chromium (scripts/install-deps installs it)"
command -v npm >/dev/null || fail_setup "no npm (scripts/install-deps installs nodejs and npm)"

# playwright-core from package-lock.json, again only when the lock file changed
if [ ! -f "$here/node_modules/.lock-installed" ] || ! cmp -s "$here/package-lock.json" "$here/node_modules/.lock-installed"; then
    if ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >"$out/npm.log" 2>&1; then
        # A registry that cannot be reached (no network, or a TLS-intercepting proxy whose CA
        # this machine lacks) is not a failure of solidata: say so loudly and count a skip.
        if grep -qE 'SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER|CERT_|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH' "$out/npm.log"; then
            echo "browser: SKIPPED: the npm registry cannot be reached from this machine ($(grep -m1 -oE 'code [A-Z_]+' "$out/npm.log")); playwright-core is needed for the browser tests"
            echo "0 0 1" > "$build/results/browser"
            exit 0
        fi
        fail_setup "npm ci failed: $(grep -m3 'npm ERR!' "$out/npm.log" | tr '\n' ' ')"
    fi
    cp "$here/package-lock.json" "$here/node_modules/.lock-installed"
fi

T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
db=$T/browser.db
# the setup's imports and analyses are published at once (docs/publish.md); what the tests add
# through the dashboard starts as a draft
export SOLIDATA_PUBLISH_AUTO=on
s() { "$solidata" --db "$db" --quiet "$@" >>"$T/setup.log" 2>&1 || fail_setup "setup: solidata $* failed: $(tail -3 "$T/setup.log")"; }
s import areas "$D/italy_regions.geojson" --code-field reg_code --name-field reg_name --level region \
    --licence "CC BY 4.0" --attribution "Openpolis su dati ISTAT"
s import areas "$D/lazio_municipalities.geojson" --code-field istat_code --name-field name \
    --parent-field prov_code --level municipality --licence "CC BY 4.0"
s import data "$D/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$D/bes_indicators.csv" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat, BES dei territori"
s import data "$D/lazio_irpef_income.csv" --area-field istat_code --period-field year \
    --indicator-meta "$D/lazio_irpef_indicators.csv" --licence "CC BY 4.0" --attribution "Fonte: MEF" \
    --count-indicators taxpayers,self_employed_income_n --min-cell 10
# the analyses the dashboard shows: the BES well-being index (examples/bes-wellbeing.json, fewer
# Monte Carlo draws), LISA hot spots of low incomes in Lazio, Fay-Herriot estimates stored with SEs
spec=$T/index.json
sed 's/"replications": *[0-9]*/"replications": 200/' "$top/examples/bes-wellbeing.json" >"$spec"
s index --spec "$spec" --out "$T/index.csv"
s spatial lisa --indicator pct_income_0_10k --period 2021 --islands keep --permutations 499 --seed 1 \
    --inference perm --out "$T/lisa.csv"
awk -F, 'NR == 1 || $4 == 2021' "$D/lazio_irpef_income.csv" |
    awk -F, 'BEGIN { OFS = "," }
        NR == 1 { print "istat_code,p_low_income,var_p,pct_pension_recipients"; next }
        { p = $29 / 100; print $1, p, p * (1 - p) / $5, $33 }' >"$T/direct.csv"
s sae fh --data "$T/direct.csv" --id-field istat_code --direct p_low_income --var var_p \
    --covariates pct_pension_recipients --out "$T/fh.csv" --store-as FH_LOWINC_0_10K --period 2021 --polarity lower_better
# emerging needs over the regional series since 2019 (an alerts run)
s alerts --since 2019 --out "$T/alerts.csv"
# ETS forecasts of the low-pension share of the regions, three years ahead (a time.forecast run)
s forecast --indicator 04BEC006P --horizon 3 --out "$T/forecast.csv"
# The issue's whole path (the last test of run.js) needs the communes of Île-de-France and their
# population, at a level "commune" of its own so that the other tests'
# maps keep their areas (SOL_BROWSER_DONE_WHEN=0 leaves them out, for a quicker run).
if [ "${SOL_BROWSER_DONE_WHEN:-1}" = 1 ]; then
    F=$D/france
    s import areas "$F/communes_idf_cog2019.geojson" --code-field code --name-field nom \
        --parent-field departement --level commune --licence "Licence Ouverte / Etalab 2.0"
    s import data "$F/filosofi_communes_idf_2015_2016_2019.csv" --area-field code --period-field annee \
        --indicators nb_personnes_menages_fiscaux --indicator-meta "$F/filosofi_indicateurs_communes.csv" \
        --skip-unknown-areas --licence "Licence Ouverte / Etalab 2.0" --attribution "Insee, Filosofi"
fi
# the setup of one feature each (tests/browser/setup_*.sh), sourced with s, $D, $T, $db, $top
for f in "$here"/setup_*.sh; do
    [ -e "$f" ] || continue
    # shellcheck disable=SC1090
    . "$f"
done
echo 'analyst-pw-1' | "$solidata" --db "$db" user add ana --role analyst 2>>"$T/setup.log" || fail_setup "user add failed"
sqlite3 "$db" "INSERT INTO run (kind, spec, method_card, result, created_at, created_by) VALUES ('index',
  '{\"indicators\":[\"04BEC006P\"]}', '{\"method\":{\"name\":\"mpi\",\"reference\":\"Mazziotta and Pareto 2016\"},\"choices\":{\"weights\":\"equal\"}}',
  '{\"scores\":[101.5,99.2]}', '2024-05-01T10:00:00Z', 'test')" || fail_setup "cannot record the test run"

"$solidata" --db "$db" serve --port 0 --port-file "$T/port" 2>"$T/serve.log" &
pid=$!
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || fail_setup "the server did not start: $(cat "$T/serve.log")"

CHROMIUM=$chromium node "$here/run.js" "http://127.0.0.1:$(cat "$T/port")" "$out" | tee "$out/results.txt"
last=$(tail -n 1 "$out/results.txt")
p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$p" ] || { p=0; f=1; }
echo "$p $f" > "$build/results/browser"
[ "$f" = 0 ]
