# source restore after a removal and after a replacement; a version that does not exist, the
# current one, an unknown source: refused, the store unchanged.
with_regions
printf 'code,fam\n01,12\n02,30\n03,7\n' >"$T/a.csv"
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti; expect_exit 0
sol source remove aiuti; expect_exit 0
sol source restore aiuti --version 1; expect_exit 0
expect_err "version 1 of source 'aiuti' is current again: values restored: 3"
[ "$(store_sql 'SELECT count(*) FROM observation')" = 3 ] || fail "values not back"
sol source list; expect_out '^aiuti,1,current,'
store_sql "SELECT count(*) FROM audit WHERE action = 'source.restore'" >"$T/out"; expect_out '^1$'
snapshot
sol source restore aiuti --version 9; expect_exit 1; expect_err "no version 9 of source 'aiuti'"
sol source restore aiuti --version 1; expect_exit 1; expect_err "is the current one"
sol source restore aiuto --version 1; expect_exit 1; expect_err "did you mean 'aiuti'"
sol source restore aiuti; expect_exit 2
sol source restore aiuti --version 0; expect_exit 2
expect_unchanged
