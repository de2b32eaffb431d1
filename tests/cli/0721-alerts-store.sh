# alerts over the store: a planted worsening trend found, improving one judged by polarity, the run
# recorded with the result shape the dashboard reads; bad options refused, store unchanged.
with_regions
{
    echo "code,label,polarity"
    echo "evict,Sfratti per 1000 famiglie,lower_better"
    echo "work,Tasso di occupazione,higher_better"
    echo "nopol,Senza polarità,"
} >"$T/meta.csv"
awk 'BEGIN { srand(7); print "area,indicator,year,value";
    for (a = 1; a <= 8; a++) for (y = 2010; y <= 2024; y++) {
        code = sprintf("%02d", a); e = 10 + (rand() - 0.5); w = 60 + (rand() - 0.5); n = 5 + rand();
        if (a == 3) e = 10 + 0.8 * (y - 2010) + (rand() - 0.5) * 0.2;   # evictions rising in Lombardia
        if (a == 5) w = 60 + 0.9 * (y - 2010) + (rand() - 0.5) * 0.2;   # employment rising in Veneto
        print code ",evict," y "," e; print code ",work," y "," w; print code ",nopol," y "," n } }' >"$T/d.csv"
sol import data "$T/d.csv" --area-field area --period-field year --indicator-field indicator \
    --indicator-meta "$T/meta.csv"
expect_exit 0
sol alerts --since 2015
expect_exit 0; expect_out '^rank,area,area_name,indicator,indicator_label,kind,direction,strength,since,p,q,sentence$'
expect_out '^[0-9]+,03,Lombardia,evict,Sfratti per 1000 famiglie,trend,worsening,.*,2015,'
expect_out '^[0-9]+,05,Veneto,work,Tasso di occupazione,trend,improving,'
expect_out 'Lombardia: Sfratti per 1000 famiglie has been getting worse since 2015, a steady rise of 0.[78][0-9]* a year'
grep -q ',nopol,' "$T/out" && fail "an indicator without polarity cannot be judged"
grep -E ',trend,' "$T/out" | grep -vqE ',(03|05),' && fail "a trend alert on a flat series"
expect_err 'alerts: [0-9]+ alerts from [0-9]+ tests \(q <= 0.1\); run 1 recorded'
sol alerts --since 2015 --lang it --indicator evict
expect_exit 0; expect_out 'Lombardia: Sfratti per 1000 famiglie peggiora dal 2015, con un aumento costante'
sol alerts --since 2015 --json --lang fr
expect_exit 0
jq -e '.since == "2015" and .fdr == 0.1 and .tests >= 32 and (.alerts | length) > 0' "$T/out" >/dev/null || fail "result shape"
jq -e '.alerts[0] | has("rank","area","area_name","indicator","indicator_label","kind","direction","strength","since","p","q","sentence")' "$T/out" >/dev/null || fail "alert keys"
jq -e '[.alerts[] | .q <= 0.1 and .p <= .q and (.sentence | has("en","it","fr"))] | all' "$T/out" >/dev/null || fail "q, p or sentences"
jq -e '[.alerts[].strength] as $s | $s == ($s | sort | reverse)' "$T/out" >/dev/null || fail "not ranked by strength"
jq -e '[.alerts[] | select(.area == "03" and .kind == "trend")][0].sentence.fr | test("^Lombardia : Sfratti per 1000 famiglie se dégrade depuis 2015")' "$T/out" >/dev/null || fail "French sentence"
sol runs; expect_exit 0; expect_out 'alerts'
sol alerts --since 2015 --out "$T/a.csv"; expect_exit 0
[ "$(head -n1 "$T/a.csv" | cut -c1-5)" = "rank," ] || fail "--out"
# bad options: refused, store unchanged
snapshot
sol alerts --since yesterday; expect_exit 1; expect_err "--since yesterday: not a period"
sol alerts --indicator evict,NOPE; expect_exit 1; expect_err "no indicator 'NOPE'"
sol alerts --fdr 2; expect_exit 2; expect_err 'expected a rate in \(0, 1\]'
sol alerts --lang de; expect_exit 2; expect_err 'expected en, it or fr'
sol alerts stray; expect_exit 2
expect_unchanged
sol alerts --help; expect_exit 0; expect_out 'Benjamini-Hochberg'
# the same alerts on 1 and 2 threads
OMP_NUM_THREADS=1 "$SOLIDATA" --db "$DB" --quiet alerts --since 2015 --json >"$T/t1.json"
OMP_NUM_THREADS=2 "$SOLIDATA" --db "$DB" --quiet alerts --since 2015 --json >"$T/t2.json"
cmp -s "$T/t1.json" "$T/t2.json" || fail "alerts differ between 1 and 2 threads"
