# derive refuses bad input with a clear message, and a failure leaves the store unchanged:
# unknown indicator codes, a denominator of another area level, --per 0 or negative, the same
# code twice, a new code that is an imported indicator or an input, a denominator period without
# values, no value computable; missing denominators are counted and said; --denominator-period.
with_regions
sol import areas "$DATA/lazio_municipalities.geojson" --code-field istat_code --name-field name --parent-field prov_code --level municipality
expect_exit 0
printf 'code,year,helped,pop\n058091,2023,120,2750000\n058091,2024,130,\n056002,2023,7,0\n060038,2023,40,45000\n' >"$T/c.csv"
printf 'code,year,regpop\n12,2023,5700000\n12,2022,5720000\n' >"$T/r.csv"
sol import data "$T/c.csv" --area-field code --period-field year --count-indicators helped
expect_exit 0
sol import data "$T/r.csv" --area-field code --period-field year
expect_exit 0
snapshot
sol derive rate --numerator nope --denominator pop
expect_exit 1; expect_err "--numerator nope: no indicator 'nope' in the store \(see 'solidata indicators'\)"
sol derive rate --numerator helped --denominator nada
expect_exit 1; expect_err "--denominator nada: no indicator 'nada' in the store"
sol derive coverage --helped helped --need nada
expect_exit 1; expect_err "--need nada: no indicator 'nada'"
sol derive rate --numerator helped --denominator regpop
expect_exit 2; expect_err "--denominator 'regpop' has values for areas of level 'region', 'helped' for areas of level 'municipality': a ratio needs both for the same areas"
sol derive rate --numerator helped --denominator pop --per 0
expect_exit 2; expect_err "--per 0: expected a number above 0"
sol derive rate --numerator helped --denominator pop --per -1000
expect_exit 2; expect_err "--per -1000: expected a number above 0"
sol derive rate --numerator helped --denominator helped
expect_exit 2; expect_err "'helped' is also --numerator"
sol derive rate --numerator helped --denominator pop --as pop
expect_exit 2; expect_err "--as 'pop' is an input of the computation"
sol derive rate --numerator helped --denominator pop --as regpop
expect_exit 2; expect_err "--as 'regpop' is an indicator imported from a file"
sol derive rate --numerator helped --denominator pop --as 'a b'
expect_exit 2; expect_err "--as 'a b': expected an indicator code"
sol derive rate --numerator helped --denominator pop --denominator-period 2019
expect_exit 2; expect_err "--denominator-period 'pop' has no value in period '2019'"
sol derive rate --numerator helped
expect_exit 2; expect_err "--denominator POPCODE is required"
sol derive
expect_exit 2
sol derive ratio
expect_exit 2
expect_unchanged
# missing and zero populations: left missing, counted and said
sol derive rate --numerator helped --denominator pop
expect_exit 0; expect_out '^helped_per_1000$'
expect_err "1 value of 'helped' has no population value for its area and period: left missing"
expect_err "1 value of 'helped' has a population of 0 for its area and period: left missing"
expect_err "helped_per_1000 \(version 1\): 2 values written"
store_sql "SELECT method_card FROM run ORDER BY id DESC LIMIT 1" | jq -e '.method.missing.no_denominator == 1 and .method.missing.zero_denominator == 1' >/dev/null \
    || fail "the card does not count the missing populations"
# the population of 2023 for every year
sol derive rate --numerator helped --denominator pop --denominator-period 2023 --as helped_rate_pop2023
expect_exit 0; expect_err "3 values written"
store_sql "SELECT o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN period p ON p.id = o.period_id
  JOIN area a ON a.id = o.area_id WHERE i.code = 'helped_rate_pop2023' AND a.code = '058091' AND p.label = '2024'" | grep -q '^0.04727' \
    || fail "2024 over the 2023 population"
store_sql "SELECT method_card FROM run ORDER BY id DESC LIMIT 1" | jq -e '.method.denominator_period == "2023" and (.method.periods | test("one period"))' >/dev/null \
    || fail "the card does not say the population's period"
# nothing computable: an error, nothing written or recorded
printf 'code,year,zero\n058091,2023,0\n060038,2023,0\n' >"$T/z.csv"
sol import data "$T/z.csv" --area-field code --period-field year
snapshot
sol derive rate --numerator helped --denominator zero
expect_exit 1; expect_err "no value of 'helped_per_1000' could be computed: values without a population for their area and period: 2; with a population of 0: 2"
expect_unchanged
