# federation, bad input: an agency without the setup (the message says how to run it), a wrong
# password (never printed), a column the agency does not compute from, agencies and tables
# mixed, mpi on an agency, a role name that is not a plain word.
. "$TOP/tests/cli/pgmicro_lib.sh"
fed_agency a "db040 = 'Tyrol'"
pg_start bare
sol poverty --microdata-sql "$FED_URL_a" --microdata-sql "$PG_URL_bare?agency=solidata_fed" \
    --weight rb050 --income eqIncome --by db040
expect_exit 1
expect_err "has no solidata agency functions in schema \"?solidata_fed\"? .*solidata microdata agency-sql --table T --role ROLE"
bad=$(sed 's/observatory:obs-pw@/observatory:Secret-Wrong-42@/' <<<"$FED_URL_a")
sol poverty --microdata-sql "$bad" --weight rb050 --income eqIncome --by db040
expect_exit 1
expect_err 'refused the user name or the password'
if grep -q 'Secret-Wrong-42' "$T/err" "$T/out"; then fail "the password was printed"; fi
sol poverty --microdata-sql "$FED_URL_a" --weight rb050 --income eqSS --by db040
expect_exit 1
expect_err "computes --income from column 'eqIncome', not 'eqSS'"
sol poverty --microdata-sql "$FED_URL_a" --weight rb050 --income eqIncome --by db040 --psu db030
expect_exit 1
expect_err "computes --psu from column '\(none\)', not 'db030'"
sol poverty --microdata-sql "$FED_URL_a" --microdata-sql "$PG_URL_bare?table=t" --weight rb050 \
    --income eqIncome
expect_exit 1
expect_err 'give agencies \(\?agency=\) or tables \(\?table=\), not both'
printf '{"k": 0.5, "indicators": [{"column": "age", "dimension": "h", "weight": 1, "deprived_if": ">= 75"}]}' >"$T/spec.json"
sol mpi --microdata-sql "$FED_URL_a" --spec "$T/spec.json" --weight rb050
expect_exit 1
expect_err "has no deprivation indicator 'age' \(it has: none\); ask the agency to set up its functions again with --indicator age"
sol microdata agency-sql --table eusilc --role 'obs; DROP TABLE x' --weight w --income i --by d
expect_exit 1
expect_err 'take a plain name'
sol microdata agency-sql --table eusilc --role obs --weight w --income i
expect_exit 2
sol microdata nothing
expect_exit 2
