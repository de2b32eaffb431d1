# --preview writes nothing, not even the catalog, and says what would be written; --json gives
# the same as one object
. "$TOP/tests/cli/match_lib.sh"
with_idf; snapshot
sol import data "$W/match_homonymes.csv" --area-field commune --period 2023 --preview
expect_exit 0; expect_unchanged
expect_err "preview, nothing was written: the import would write 1 value "
expect_err "ambiguous \(several areas"
expect_err "'Blandy' -> Blandy \(77034, Seine-et-Marne\), Blandy \(91067, Essonne\)"
expect_err "the import would stop here: .*3 names of column 'commune' match several areas"
expect_err "column 'departement' left out: not numeric"
sol import data "$W/match_communes_noms.csv" --area-field Commune --period 2023 --preview --json
expect_exit 0; expect_unchanged
jq -e '.preview and .ok and .values == 10 and .rows_read == 10 and .version == 1
       and .areas.by_name == 10 and .areas.unmatched == 0 and .areas.ambiguous == 0
       and (.areas.matches[] | select(.value == "courneuve") | .area.code == "93027" and .how == "name"
            and .area.parent_name == "Seine-Saint-Denis")
       and .indicators == [{"code": "Familles aidées", "values": 10, "new": true}]
       and .periods == ["2023"] and .columns.read == ["Familles aidées"]' "$T/out" >/dev/null ||
    fail "preview JSON"
sol import data "$W/match_inconnues.csv" --area-field commune --period 2023 --preview --json
expect_exit 0; expect_unchanged
jq -e '(.ok | not) and .values == 2 and .areas.unmatched == 2
       and (.areas.unmatched_values[] | select(.value == "Montreuill") | .suggestions[0].code == "93048")
       and (.problems | length) == 1' "$T/out" >/dev/null || fail "preview JSON of unknown names"
# the real import, then a preview of the same file: unchanged, nothing to write
sol import data "$W/match_communes_noms.csv" --area-field Commune --period 2023
expect_exit 0; snapshot
sol import data "$W/match_communes_noms.csv" --area-field Commune --period 2023 --preview --json
expect_exit 0; expect_unchanged
jq -e '.unchanged and .preview' "$T/out" >/dev/null || fail "preview of an unchanged file"
# --json without --preview is a usage error
sol import data "$W/match_communes_noms.csv" --area-field Commune --period 2023 --json
expect_exit 2
