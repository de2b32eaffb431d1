# Store mode over several periods with a JSON spec of indicator codes: AMPI with pooled goalposts,
# ranks within each year, Monte Carlo rank intervals; weights in the spec switch to human weights,
# recorded with who set them and when; the CSV gets the rank interval columns.
. "$TOP/tests/cli/index_lib.sh"
with_bes
cat >"$T/spec.json" <<'JSON'
{"indicators": [{"code": "01SAL001", "weight": 2}, {"code": "03LAV002-N22", "weight": 1},
                {"code": "04BEC006P", "weight": 1}, {"code": "07SIC004P", "weight": 1}],
 "normalisation": "amp", "aggregation": "mpi", "missing": "reweight",
 "weights": {"set_by": "test council", "set_on": "2025-03-01"},
 "uncertainty": {"replications": 200, "seed": 42, "normalisation": ["amp", "minmax"],
                 "weights": true},
 "periods": ["2019", "2023"]}
JSON
sol index --spec "$T/spec.json"
expect_exit 0
head -1 "$T/out" | grep -q ',rank_median,rank_lo,rank_hi$' || fail "no rank interval columns"
expect_lines 41
[ "$(grep -c ',2019,' "$T/out")" = 20 ] || fail "2019 rows"
[ "$(grep -c ',2023,' "$T/out")" = 20 ] || fail "2023 rows"
# ranks 1..20 within each year
for y in 2019 2023; do
    r=$(awk -F, -v y=$y '$2 == y { print $4 }' "$T/out" | sort -n | tr '\n' ' ')
    [ "$r" = "$(seq 1 20 | tr '\n' ' ')" ] || fail "ranks in $y: $r"
done
# --periods overrides the spec's periods; JSON out
sol index --spec "$T/spec.json" --period 2021 --json
expect_exit 0
expect_out '"period": "2021"'
expect_out '"rank_interval_90": \['
sol runs show 1
expect_out '"set_by": "test council"'
expect_out '"set_on": "2025-03-01"'
expect_out '"indicators": "human"'
expect_out '"seed": 42'
expect_out '"replications": 200'
