# Bad spec: a reference area at a period that is not read; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
sol index --indicators 01SAL001,01SAL004 --periods 2019,2020 --method ampi --reference 12@2031
expect_refused 'reference area "12" at period "2031" does not exist'
