# card prints a run's method card in plain text, with the privacy treatment of tabulate runs
awk 'BEGIN { srand(9); print "area,sex"; for (i = 0; i < 800; i++) printf "A%d,%s\n", int(rand() * rand() * 12), (rand() < .5 ? "F" : "M") }' >"$T/m.csv"
sol tabulate --microdata "$T/m.csv" --rows area --cols sex --min-cell 8 --record --out "$T/t.csv"
expect_exit 0; expect_err "recorded as run 1"
sol card 1; expect_exit 0
expect_out '^run 1: privacy.tabulate$'
expect_out '^  privacy:$'
expect_out '^    min_cell: 8$'
expect_out '^    primary_suppressed: [0-9]+$'
expect_out '^    differential_privacy: -$'
expect_out 'input_sha256: [0-9a-f]{64}'
sol card 2; expect_exit 1; expect_err "no run with id 2"
sol card x; expect_exit 2
