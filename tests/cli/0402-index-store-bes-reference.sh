# Store mode on the BES data: the 12 indicators of the R reference case at 2019, polarity and
# dimension (the BES domain) taken from the store, reproduce case B; the run is recorded with its
# method card (method and references, choices, polarity origins, sources and licences).
. "$TOP/tests/cli/index_lib.sh"
with_bes
sol index --indicators "$BES12" --period 2019 --method mpi --missing reweight --winsorise
expect_exit 0
expect_err "recorded as run 1; 'solidata runs show 1'"
head -1 "$T/out" | grep -qx 'id,period,score,rank,Salute,Lavoro e conciliazione dei tempi di vita,Sicurezza,Ambiente' ||
    fail "header $(head -1 "$T/out")"
cp "$T/out" "$T/s.csv"
# got: id 1, period 2, score 3, rank 4, dimensions 5-8; want: B 8, B_rank 9, B_<dim> 10-13
n=$(awk -F, -v OFS=, '{ $2 = ""; print }' "$T/s.csv" | cut -d, -f1,3- >"$T/s1.csv"; \
    close_to "$T/s1.csv" 1 2 "$REF/index_bes2019/expected.csv" 1 8 1e-12) || fail "B score: $n"
[ "$n" = 20 ] || fail "compared $n rows"
close_to "$T/s1.csv" 1 3 "$REF/index_bes2019/expected.csv" 1 9 0 >/dev/null || fail "B rank"
for k in 0 1 2 3; do
    close_to "$T/s1.csv" 1 $((4 + k)) "$REF/index_bes2019/expected.csv" 1 $((10 + k)) 1e-12 \
        >/dev/null || fail "B dimension $k"
done
sol runs; expect_exit 0; expect_lines 2; expect_out '^1,index,'
sol runs show 1; expect_exit 0
expect_out 'Mazziotta M., Pareto A. \(2016\)'
expect_out 'Handbook on Constructing Composite Indicators'
expect_out '"polarity_from": "store"'
expect_out '"dimension_from": "store"'
expect_out '"licence": "CC BY 3.0"'
expect_out '"set_by": '
expect_out '"outliers": "winsorise'
expect_out '"profile": '
expect_out '"periods": \['
# The spec recorded reads back: run it again from the run's spec, same scores.
sol runs show 1 --json; expect_exit 0
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r=r[0] if isinstance(r,list) else r; json.dump(r["spec"], open(sys.argv[2],"w"))' "$T/out" "$T/spec.json" ||
    fail "runs show --json has no spec"
sol index --spec "$T/spec.json"
expect_exit 0
expect_err "recorded as run 2"
cmp -s "$T/out" "$T/s.csv" || fail "the recorded spec does not give the same result"
