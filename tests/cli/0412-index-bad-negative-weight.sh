# Bad spec: a negative weight; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
cat >"$T/spec.json" <<'JSON'
{"indicators": [{"code": "01SAL001", "weight": 1}, {"code": "01SAL004", "weight": -0.5}],
 "periods": ["2019"]}
JSON
sol index --spec "$T/spec.json"
expect_refused 'indicator "01SAL004": weight -0.5 is negative'
