# synth with Synth's own V gives the published Basque weights (Catalonia 0.8508, Madrid 0.1492)
B=$TOP/tests/data/synth_basque
grep '"v"' "$B/expected_fit.csv" | cut -d, -f3 >"$T/v.txt"
sol evaluate synth --data "$B/basque.csv" --unit-field regionname --time-field year --outcome gdpcap \
    --treated "Basque Country (Pais Vasco)" --treatment-start 1970 --spec "$B/spec.json" \
    --v-weights "$T/v.txt" --out "$T/path.csv"
expect_exit 0; expect_out '^Cataluna,0\.8508'; expect_out '^Madrid \(Comunidad De\),0\.1491'
head -1 "$T/path.csv" | grep -qx 'time,treated,synthetic,gap' || fail "path.csv header"
[ "$(wc -l <"$T/path.csv")" = 44 ] || fail "path.csv rows"
sol evaluate synth --data "$B/basque.csv" --unit-field regionname --time-field year --outcome gdpcap \
    --treated "Basque Country (Pais Vasco)" --treatment-start 1970 --spec "$B/spec.json" --json --placebos \
    --v-weights "$T/v.txt"
expect_exit 0; expect_out '"rmspe_pre"'; expect_out '"ratio"'; expect_out '"p_value"'; expect_out '"placebos"'
