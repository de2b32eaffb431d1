# synth: treated unit missing, donors without a predictor, no pre-treatment period, bad V weights
printf 'u,t,y,x\nA,1,1,1\nA,2,2,\nB,1,1,2\nB,2,1,3\nC,1,2,\nC,2,2,\n' >"$T/s.csv"
printf '{"predictors":[{"variable":"x","from":1,"to":2}],"optimise":{"from":1,"to":1}}' >"$T/s.json"
sol evaluate synth --data "$T/s.csv" --unit-field u --time-field t --outcome y --treated Z --treatment-start 2 --spec "$T/s.json"
expect_exit 1; expect_err "treated unit 'Z' is not in column 'u'"
sol evaluate synth --data "$T/s.csv" --unit-field u --time-field t --outcome y --treated A --treatment-start 2 --spec "$T/s.json"
expect_exit 1; expect_err "donor 'C' has no value of predictor 'x' in 1-2"
sol evaluate synth --data "$T/s.csv" --unit-field u --time-field t --outcome y --treated A --treatment-start 1 --spec "$T/s.json"
expect_exit 1; expect_err 'no pre-treatment periods'
printf '0\n' >"$T/v0.txt"
sol evaluate synth --data "$T/s.csv" --unit-field u --time-field t --outcome y --treated A --treatment-start 2 --spec "$T/s.json" --v-weights "$T/v0.txt"
expect_exit 1; expect_err 'sum to 0: they must sum to a positive number'
printf '{"predictors":[{"variable":"x","from":1}' >"$T/bad.json"
sol evaluate synth --data "$T/s.csv" --unit-field u --time-field t --outcome y --treated A --treatment-start 2 --spec "$T/bad.json"
expect_exit 1; expect_err 'bad\.json:1:[0-9]+: not valid JSON'
