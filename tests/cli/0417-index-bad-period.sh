# Bad spec: a period the store does not have, and one an indicator has no value at; refused before
# any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
sol index --indicators 01SAL001,01SAL004 --period 1999 --method mpi
expect_refused 'no period "1999" in the store'
sol index --indicators 01SAL001,04BEC001P --period 2019 --method mpi
expect_refused '"04BEC001P" has no value at period 2019 \(its values run from 2021 to 2023\)'
