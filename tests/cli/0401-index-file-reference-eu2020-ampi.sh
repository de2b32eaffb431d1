# File mode on the R reference case index_eu2020: the adjusted Mazziotta-Pareto index (goalposts
# pooled over 2010 and 2011) with EU-28 in 2010 as the reference area, which is not scored.
. "$TOP/tests/cli/index_lib.sh"
sol index --data "$REF/index_eu2020/eu2020_headline.csv" --id-field geo --period-field year \
    --indicators employ,tertiary,earlyl:-,shareren,gasemiss:- --method ampi \
    --reference "EU (28 countries)@2010"
expect_exit 0
grep -q '^EU (28 countries),' "$T/out" && fail "the reference area was scored"
cp "$T/out" "$T/r.csv"
n=$(close_to "$T/r.csv" 2 3 "$REF/index_eu2020/expected_ref.csv" 2 3 1e-12) || fail "AMPI: $n"
[ "$n" = "$(($(wc -l <"$REF/index_eu2020/expected_ref.csv") - 1))" ] || fail "compared $n rows"
close_to "$T/r.csv" 2 4 "$REF/index_eu2020/expected_ref.csv" 2 4 0 >/dev/null || fail "ranks"
# reference = the mean, penalty positive (a phenomenon where higher is worse)
sol index --data "$REF/index_eu2020/eu2020_headline.csv" --id-field geo --period-field year \
    --indicators employ,tertiary,earlyl:-,shareren,gasemiss:- --method ampi --penalty positive
expect_exit 0
cp "$T/out" "$T/p.csv"
close_to "$T/p.csv" 2 3 "$REF/index_eu2020/expected_mean.csv" 2 5 1e-12 >/dev/null || fail "AMPI+"
