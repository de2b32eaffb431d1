# Bad spec: a declared dimension without indicators; refused before any work, nothing recorded.
. "$TOP/tests/cli/index_lib.sh"
with_bes
cat >"$T/spec.json" <<'JSON'
{"indicators": [{"code": "01SAL001", "dimension": "health"}, {"code": "01SAL004", "dimension": "health"}],
 "dimensions": [{"name": "health"}, {"name": "housing"}], "periods": ["2019"]}
JSON
sol index --spec "$T/spec.json"
expect_refused 'dimension "housing" has no indicators'
