# Bad spec: an indicator the store does not have; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
sol index --indicators 01SAL001,NOPE99 --period 2019 --method mpi
expect_refused 'unknown indicator "NOPE99" \(not in the store'
