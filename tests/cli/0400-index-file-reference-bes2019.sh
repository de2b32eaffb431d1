# File mode on the R reference case index_bes2019 (12 Istat BES indicators, 20 regions, 2019):
# case B (JRC winsorising, leave out and re-weight, Mazziotta-Pareto standardisation, MPI by
# dimension) and case A (winsorising, mean imputation, z-scores, arithmetic by dimension).
. "$TOP/tests/cli/index_lib.sh"
IND="01SAL001@health,01SAL004:-@health,01SAL006:-@health,03LAV001-N22@work,03LAV002-N22:-@work"
IND="$IND,03LAV004P@work,07SIC001P:-@safety,07SIC006P:-@safety,07SIC008P:-@safety"
IND="$IND,10AMB008@environment,10AMB016@environment,10AMB017@environment"
sol index --data "$REF/index_bes2019/bes2019.csv" --id-field reg_code --indicators "$IND" \
    --method mpi --missing reweight --winsorise --out "$T/b.csv"
expect_exit 0
head -1 "$T/b.csv" | grep -qx 'id,score,rank,health,work,safety,environment' || fail "header $(head -1 "$T/b.csv")"
# columns: got score 2, rank 3, health 4 ... ; want B 8, B_rank 9, B_health 10 ...
n=$(close_to "$T/b.csv" 1 2 "$REF/index_bes2019/expected.csv" 1 8 1e-12) || fail "B score: $n"
[ "$n" = 20 ] || fail "compared $n rows"
close_to "$T/b.csv" 1 3 "$REF/index_bes2019/expected.csv" 1 9 0 >/dev/null || fail "B rank"
for k in 0 1 2 3; do
    close_to "$T/b.csv" 1 $((4 + k)) "$REF/index_bes2019/expected.csv" 1 $((10 + k)) 1e-12 >/dev/null ||
        fail "B dimension $k"
done
expect_err 'warning: indicator "10AMB008": 5 value\(s\) winsorised'
sol index --data "$REF/index_bes2019/bes2019.csv" --id-field reg_code --indicators "$IND" \
    --method zscore-mean --missing mean --winsorise
expect_exit 0
cp "$T/out" "$T/a.csv"
close_to "$T/a.csv" 1 2 "$REF/index_bes2019/expected.csv" 1 2 1e-10 >/dev/null || fail "A score"
close_to "$T/a.csv" 1 3 "$REF/index_bes2019/expected.csv" 1 3 0 >/dev/null || fail "A rank"
# JSON: the same numbers with profiles and the method card; nothing is recorded in file mode
sol index --data "$REF/index_bes2019/bes2019.csv" --id-field reg_code --indicators "$IND" \
    --method mpi --missing reweight --winsorise --json
expect_exit 0
expect_out '"profile": '
expect_out '"cronbach_alpha"'
[ ! -e "$DB" ] || { sol runs; expect_lines 1; }
