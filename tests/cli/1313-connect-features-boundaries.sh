# A boundaries connector: the real Lazio municipalities (examples/data) served by the replay as an
# OGC API Features collection (landing page, conformance, collections, items in pages of 100 with
# "next" links) and read by GDAL's own OAPIF driver; refresh imports the 378 areas as a source
# version; again, nothing is written; a changed geometry or name is a new version. An unknown
# collection or field, plain http to a remote host, and --offline are refused, the store unchanged.
. "$TOP/tests/cli/connect_lib.sh"
L=$TOP/examples/data/lazio_municipalities.geojson
REPLAY_FEATURES="comuni=$L" replay normal
U=http://127.0.0.1:$RPORT/ogc
sol catalog
snapshot
sol connect add lazio --features "$U" --collection nosuch --code-field istat_code
expect_exit 1; expect_err "has no collection 'nosuch'; its collections: comuni"
sol connect add lazio --features "$U" --collection comuni --code-field codice
expect_exit 1; expect_err "collection 'comuni' has no field 'codice'; its fields: .*istat_code"
sol connect add lazio --features http://example.org/ogc --collection comuni --code-field istat_code
expect_exit 1; expect_err "expected the service's https:// address"
sol connect add lazio --features "$U" --collection comuni
expect_exit 2
expect_unchanged
sol connect add lazio --features "$U" --collection comuni --code-field istat_code \
    --name-field name --level municipality
expect_exit 0; expect_err "'lazio' added \(comuni\)"
sol connect show lazio
expect_out '"kind":"features"'; expect_out '"collection":"comuni"'; expect_out '"title":"Comuni del Lazio"'
sol refresh lazio
expect_exit 0; expect_out '^lazio,new-version,1,378,0,0$'
[ "$(store_sql "SELECT count(*) FROM area WHERE level = 'municipality'")" = 378 ] || fail "expected 378 municipalities"
[ "$(store_sql "SELECT name FROM area WHERE code = '058091'")" = Roma ] || fail "Roma is not 058091"
grep -q 'items?limit=100&offset=300' "$T/replay.log" || fail "GDAL did not follow the next links: $(grep items "$T/replay.log")"
sol catalog
expect_out ',lazio,1,current,features,http://127.0.0.1:[0-9]+/ogc,'
# the same collection: nothing written
D=$(data_digest)
sol refresh lazio
expect_exit 0; expect_out '^lazio,unchanged,'
[ "$(data_digest)" = "$D" ] || fail "the data changed"
# a renamed municipality: a new version
sed 's/"name":"Acquapendente"/"name":"Acquapendente (VT)"/' "$L" >"$T/lazio2.geojson"
cmp -s "$T/lazio2.geojson" "$L" && fail "the file did not change"
mode "file=$T/lazio2.geojson"
sol refresh lazio
expect_exit 0; expect_out '^lazio,new-version,2,'
[ "$(store_sql "SELECT name FROM area WHERE code = '056001'")" = "Acquapendente (VT)" ] || fail "the name was not updated"
# offline: refused, nothing written
D=$(data_digest)
sol refresh lazio --offline
expect_exit 1; expect_err 'refresh without --offline'
[ "$(data_digest)" = "$D" ] || fail "the data changed offline"
