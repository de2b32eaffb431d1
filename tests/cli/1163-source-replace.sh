# source replace: a corrected file is a new version, the same file with other options too (not
# "nothing to do"), the same file and options change nothing; the previous version is kept and
# restorable; the licence is kept unless given; an unknown source is refused.
with_regions
export SOLIDATA_USER=maria
printf 'code,fam,parcels\n01,12,40\n02,30,95\n03,7,21\n' >"$T/a.csv"
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti --licence "internal use"
expect_exit 0
# the same file imported again: nothing to do (unchanged behaviour of import data)
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti; expect_err "nothing to do"
# the same file with other options: a new version with only one indicator
sol source replace aiuti "$T/a.csv" --area-field code --period 2023 --indicators fam
expect_exit 0; expect_err "source 'aiuti' is now version 2 \(3 observations written\)"
[ "$(store_sql 'SELECT count(*) FROM observation')" = 3 ] || fail "not 3 values"
sol source show aiuti; expect_out '"indicators": "fam"'; expect_out '"action": "source.replace"'
sol source list; expect_out '^aiuti,2,current,[^,]*,maria,3,internal use,'; expect_out '^aiuti,1,superseded,'
# the same file and options again: nothing to do, nothing written
snapshot
sol source replace aiuti "$T/a.csv" --area-field code --period 2023 --indicators fam
expect_exit 0; expect_err "the same file with the same options as version 2"
expect_unchanged
# a corrected file
printf 'code,fam,parcels\n01,13,40\n02,30,95\n03,8,21\n' >"$T/b.csv"
sol source replace aiuti "$T/b.csv" --area-field code --period 2023; expect_exit 0
expect_err "now version 3 \(6 observations written\)"
store_sql "SELECT value FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN area a ON a.id = o.area_id WHERE i.code = 'fam' AND a.code = '01'" >"$T/out"
expect_out '^13(\.0)?$'
# back to version 1
sol source restore aiuti --version 1; expect_exit 0
[ "$(store_sql 'SELECT count(*) FROM observation')" = 6 ] || fail "not 6 values"
# refused, unchanged
snapshot
sol source replace aiuto "$T/b.csv" --area-field code --period 2023; expect_exit 1
expect_err "no source 'aiuto' in the store; did you mean 'aiuti'"
sol source replace aiuti "$T/b.csv" --area-field code --period 2023 --source other; expect_exit 2
sol source replace aiuti "$T/missing.csv" --area-field code --period 2023; expect_exit 1
sol source replace aiuti; expect_exit 2
sol source replace italy_regions.geojson "$T/b.csv" --area-field code --period 2023; expect_exit 1
expect_err "is an area layer: import the corrected layer with .solidata import areas"
expect_unchanged
