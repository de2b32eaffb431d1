# evaluate did --indicator: the panel of a store indicator (BES employment rate 20-64, regions
# 15-20 treated from 2020), two-way FE with event study and clustered SEs, against R lm +
# sandwich (tests/data/did_bes/make-reference.R); the run is recorded; bad store-mode input.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"
expect_exit 0
sol evaluate did --indicator 03LAV001-N22 --treated-areas 15,16,17,18,19,20 --treatment-start 2020
expect_exit 0; expect_err "recorded run [0-9]+"
cp "$T/out" "$T/got.csv"
# the reference as term,estimate,se,t,p (static D is our treated:post; the F row is the pre-test)
awk -F, 'NR > 1 { gsub(/"/, ""); t = $2 == "D" ? "treated:post" : $2; if ($1 != "pretest")
    print t "," $3 "," $4 "," $5 "," $6 }
    BEGIN { print "term,estimate,se,t,p" }' "$TOP/tests/data/did_bes/expected.csv" >"$T/want.csv"
[ "$(wc -l <"$T/want.csv")" = 8 ] || fail "reference has $(wc -l <"$T/want.csv") lines"
for c in 2 3 5; do
    n=$(close_cols "$T/got.csv" $c "$T/want.csv" $c 1e-8) || fail "column $c: $n"
    [ "$n" = 7 ] || fail "column $c: compared $n rows, expected 7"
done
sol evaluate did --indicator 03LAV001-N22 --treated-areas 15,16,17,18,19,20 --treatment-start 2020 --json
expect_exit 0; expect_out '"se_type": "cluster"'; expect_out '"n_clusters": 20'
expect_out '"F": 0\.07322343960'
id=$(grep -oE 'recorded run [0-9]+' "$T/err" | grep -oE '[0-9]+')
sol runs show "$id"
expect_exit 0; expect_out '03LAV001-N22'; expect_out 'treatment_start'
# bad input: the store unchanged, a message saying how to fix it
snapshot
sol evaluate did --indicator 03LAV001-N22 --treated-areas 99 --treatment-start 2020
expect_exit 1; expect_err "treated area '99' has no value"; expect_unchanged
sol evaluate did --indicator 03LAV001-N22 --treated-areas 15 --treatment-start 2015
expect_exit 1; expect_err "leaves no period before"; expect_unchanged
sol evaluate did --indicator 03LAV001-N22 --treated-areas 15 --treatment-start 2020-Q1
expect_exit 2; expect_err "not a period of the indicator's frequency"; expect_unchanged
sol evaluate did --indicator NOPE --treated-areas 15 --treatment-start 2020
expect_exit 1; expect_err "no observations in the store"; expect_unchanged
sol evaluate did --indicator 03LAV001-N22 --treatment-start 2020
expect_exit 2; expect_err "needs --treated-areas"
sol evaluate did --indicator 03LAV001-N22 --treated-areas 15 --treatment-start 2020 --data x.csv
expect_exit 2; expect_err "leave out --data"
all=$(seq -f '%02g' 1 20 | paste -sd,)
sol evaluate did --indicator 03LAV001-N22 --treated-areas "$all" --treatment-start 2020
expect_exit 1; expect_err "every area with 03LAV001-N22 is treated"
