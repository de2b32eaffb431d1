# forecast refuses bad input with a clear message and a non-zero exit: too few values for the
# model, a multiplicative model on non-positive values (left out of the automatic choice, and
# said), duplicate periods, mixed frequencies, a frequency that contradicts the periods, bad
# flags. Store mode leaves the store unchanged when it fails.
printf 'period,value\n2019,1\n2020,2\n2021,2.5\n2022,3\n2023,3.2\n2024,3.1\n' >"$T/six.csv"
sol forecast --data "$T/six.csv" --period-field period --value-field value --horizon 2 --model ANN
expect_exit 1; expect_err "6 consecutive values; ETS\(A,N,N\) needs at least"
printf 'period,value\n2022,1\n2023,2\n2024,2.5\n' >"$T/three.csv"
sol forecast --data "$T/three.csv" --period-field period --value-field value --horizon 2
expect_exit 1; expect_err "too short to forecast: 3 values; a forecast needs at least 4"
printf 'period,value\n2015,1.2\n2016,-0.4\n2017,0.8\n2018,1.9\n2019,0\n2020,1.1\n2021,2.3\n2022,1.7\n2023,0.9\n2024,1.4\n' >"$T/neg.csv"
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --model MNN
expect_exit 1; expect_err "values <= 0 \(lowest -0.4\): ETS\(M,N,N\) has multiplicative errors"
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --json
expect_exit 0; expect_err "values <= 0: models with multiplicative errors left out of the choice"
expect_out '"model": "ETS\(A,'
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --model AAdN
expect_exit 0
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --model ANA
expect_exit 1; expect_err "is annual: ETS\(A,N,A\) is seasonal"
printf 'id,period,value\na,2020,1\na,2021,2\na,2020,3\n' >"$T/dup.csv"
sol forecast --data "$T/dup.csv" --id-field id --period-field period --value-field value --horizon 1
expect_exit 1; expect_err "dup.csv:4:[0-9]+: period 2020 of series 'a' appears twice"
printf 'period,value\n2020-Q1,1\n2020-Q2,2\n2020-07,2\n' >"$T/mix.csv"
sol forecast --data "$T/mix.csv" --period-field period --value-field value --horizon 1
expect_exit 1; expect_err "mix.csv:4:1: .*monthly.*quarterly"
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --frequency 12
expect_exit 1; expect_err "--frequency 12, but its periods are annual"
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 2 --model MMN
expect_exit 2; expect_err "--model MMN: expected auto or one of"
sol forecast --data "$T/neg.csv" --period-field period --value-field value
expect_exit 2; expect_err "--horizon H is required"
sol forecast --data "$T/neg.csv" --period-field period --value-field value --horizon 0
expect_exit 2; expect_err "--horizon 0: expected"
sol forecast --help
expect_exit 0; expect_out 'usage: solidata forecast'
# store mode: an unknown indicator fails and records nothing
with_regions
snapshot
sol forecast --indicator NOPE --horizon 2
expect_exit 1; expect_err "no indicator 'NOPE' in the store"
expect_unchanged
