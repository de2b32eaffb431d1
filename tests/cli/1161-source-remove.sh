# source remove: the current values leave the store (kept, restorable), the status is "removed",
# an audit row; what depends on it is listed; twice, unknown, an area layer: refused, unchanged.
with_regions
export SOLIDATA_USER=maria
printf 'code,fam\n01,12\n02,30\n03,7\n' >"$T/a.csv"
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti --count-indicators fam
expect_exit 0
[ "$(store_sql 'SELECT count(*) FROM observation')" = 3 ] || fail "not 3 values"
# a run whose method card names the source
store_sql "INSERT INTO run (kind, spec, method_card, created_at) VALUES ('index', '{}',
  '{\"inputs\":{\"sources\":[{\"name\":\"aiuti\",\"version\":1}]}}', '2026-01-01T00:00:00Z')"
sol source remove aiuti; expect_exit 0
expect_err "source 'aiuti' removed \(version 1, 3 values out of the store\)"
expect_err "source restore aiuti --version 1"
expect_err "warning: 1 run was computed from source 'aiuti' and still shows its values \(run: 1 \(index\)\)"
[ "$(store_sql 'SELECT count(*) FROM observation')" = 0 ] || fail "values left"
[ "$(store_sql 'SELECT count(*) FROM observation_archive')" = 3 ] || fail "values not kept"
sol source list; expect_out '^aiuti,1,removed,'
store_sql "SELECT who, action, detail FROM audit WHERE action = 'source.remove'" >"$T/out"
expect_out '^maria\|source.remove\|.*"source":"aiuti"'; expect_out '"values_removed":3'
expect_out '"runs":\[\{"created_at":"2026-01-01T00:00:00Z","id":1,"kind":"index"\}\]'
# refused, the store unchanged
snapshot
sol source remove aiuti; expect_exit 1; expect_err "source 'aiuti' is already removed"
sol source remove aiut; expect_exit 1; expect_err "no source 'aiut' in the store; did you mean 'aiuti'"
sol source remove italy_regions.geojson; expect_exit 1; expect_err "is an area layer"
sol source remove; expect_exit 2
expect_unchanged
# a new import of the name after a removal is the next version
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti; expect_exit 0
expect_err "version 2"
sol source list; expect_out '^aiuti,2,current,'; expect_out '^aiuti,1,superseded,'
# an indicator of another source computed from this source's values is named in the warning
printf 'code,label,numerator,denominator\nrate,Rate of families helped,fam,\n' >"$T/meta.csv"
printf 'code,rate\n01,0.4\n02,0.9\n03,0.1\n' >"$T/r.csv"
sol import data "$T/r.csv" --area-field code --period 2023 --source rates --indicator-meta "$T/meta.csv"
expect_exit 0
sol source remove aiuti; expect_exit 0
expect_err "warning: 1 indicator of another source is computed from source 'aiuti' and lost its numerator or denominator: rate"
