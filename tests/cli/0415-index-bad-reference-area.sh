# Bad spec: a reference area that does not exist; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
sol index --indicators 01SAL001,01SAL004 --period 2019 --method ampi --reference 99
expect_refused 'reference area "99" does not exist'
