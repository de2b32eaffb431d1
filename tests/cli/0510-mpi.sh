# MPI: two persons score exactly k = 1/3 and count as poor (q = 26); a bad spec is refused
D=$TOP/tests/data/mpi_af
sol mpi --microdata "$D/households.csv" --spec "$D/spec.json" --by Region --json
expect_exit 0; expect_out '"q": 26'; expect_out '"H": 0.866666666666666'
expect_out '"group": "Zicavo"'
printf '{"k": 0.5, "indicators": [{"column": "Electricity", "weight": 0.5, "deprived_if": "== 1"}]}' >"$T/s.json"
sol mpi --microdata "$D/households.csv" --spec "$T/s.json"
expect_exit 1; expect_err 'weights sum to 0.5'
printf 'Electricity\n1\n\n0\nx\n' >"$T/m.csv"
printf '{"k": 1, "indicators": [{"column": "Electricity", "weight": 1, "deprived_if": "== 1"}]}' >"$T/s.json"
sol mpi --microdata "$T/m.csv" --spec "$T/s.json"
expect_exit 1; expect_err "m.csv:5:1: indicator in column 'Electricity' is not a number"
