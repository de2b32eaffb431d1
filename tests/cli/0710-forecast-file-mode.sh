# forecast in file mode: automatic ETS choice on the R reference series (tests/data/time_ets),
# forecasts and 80%/95% intervals against R's forecast::ets + forecast.ets.
R=$TOP/tests/data/time_ets
sol forecast --data "$R/inputs_12.csv" --id-field id --period-field period --value-field value --frequency 12 --horizon 24
expect_exit 0; expect_lines $((4 * 24 + 1))
expect_out '^id,period,mean,lo80,hi80,lo95,hi95$'
expect_out '^AirPassengers,1961-01,441\.80184727'
expect_out '^USAccDeaths,1980-12,'
# key rows as case:step on both sides, then compare each column with a relative tolerance
awk -F, 'NR > 1 { k[$1]++; print $1 ":auto:" k[$1] "," $3 "," $4 "," $5 "," $6 "," $7 }' "$T/out" | sed '1i key,mean,lo80,hi80,lo95,hi95' >"$T/got"
awk -F, 'NR > 1 { print $1 ":" $2 "," $3 "," $4 "," $5 "," $6 "," $7 }' "$R/forecasts.csv" | sed '1i key,mean,lo80,hi80,lo95,hi95' >"$T/want"
for c in 2 3 4 5 6; do
    [ "$(close_cols "$T/got" $c "$T/want" $c 1e-8)" = 96 ] || fail "column $c differs from R forecast.ets"
done
# --json: the model as R names it, parameters, initial states, criteria
sol forecast --data "$R/inputs_4.csv" --id-field id --period-field period --value-field value --horizon 8 --json --out "$T/uk.json"
expect_exit 0
grep -q '"model": "ETS(M,A,M)"' "$T/uk.json" || fail "UKgas model: $(head -c 600 "$T/uk.json")"
want_aicc=$(awk -F, '$1 == "UKgas:auto" { print $15 }' "$R/fits.csv")
got_aicc=$(grep -m1 '"aicc"' "$T/uk.json" | grep -oE '[-0-9.e+]+' | tail -n 1)
awk -v a="$got_aicc" -v b="$want_aicc" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-8 * b) }' || fail "AICc $got_aicc, R $want_aicc"
for k in alpha beta gamma phi sigma2 loglik aic bic initial_states '"l"' '"b"' '"s"'; do
    grep -q "$k" "$T/uk.json" || fail "no $k in the JSON"
done
# a fixed model; without --id-field the file is one series
awk -F, 'NR == 1 || $1 == "Nile"' "$R/inputs_1.csv" | cut -d, -f2,3 >"$T/nile.csv"
sol forecast --data "$T/nile.csv" --period-field period --value-field value --horizon 5 --model AAdN
expect_exit 0; expect_lines 6; expect_out '^,1971,'; expect_out '^,1975,'
