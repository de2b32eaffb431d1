# Bad spec: dimension weights that are all zero; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
cat >"$T/spec.json" <<'JSON'
{"indicators": [{"code": "01SAL001", "dimension": "health"}, {"code": "03LAV002-N22", "dimension": "work"}],
 "dimensions": [{"name": "health", "weight": 0}, {"name": "work", "weight": 0}], "periods": ["2019"]}
JSON
sol index --spec "$T/spec.json"
expect_refused 'the dimension weights are all zero'
