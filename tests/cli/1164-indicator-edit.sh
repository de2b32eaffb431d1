# indicator edit: labels, unit, polarity, dimension and kind changed after import, each change in
# the audit log with the old and the new value; kind count withholds small values as an import
# does; refused values said clearly and the store unchanged.
with_regions
export SOLIDATA_USER=maria
printf 'code,fam\n01,12\n02,3\n03,7\n' >"$T/a.csv"
sol import data "$T/a.csv" --area-field code --period 2023 --source aiuti; expect_exit 0
sol indicator edit fam --label "Families helped" --label-fr "Familles aidées" \
    --label-it "Famiglie aiutate" --unit families --polarity none --dimension income
expect_exit 0
expect_out '"label_fr": \{'; expect_out '"new": "Familles aidées"'; expect_out '"old": null'
sol indicator show fam; expect_exit 0
expect_out '"fr": "Familles aidées"'; expect_out '"unit": "families"'; expect_out '"dimension": "income"'
expect_out '"kind": "other"'; expect_out '"action": "indicator.edit"'; expect_out '"who": "maria"'
# a count: values under the minimum cell size (10) are withheld
[ "$(store_sql 'SELECT count(*) FROM observation WHERE sdc > 0')" = 0 ] || fail "withheld before"
sol indicator edit fam --kind count; expect_exit 0
expect_out '"old": "other"'; expect_out '"new": "count"'; expect_out '"suppressed_primary": 2'
[ "$(store_sql 'SELECT count(*) FROM observation WHERE sdc > 0')" = 2 ] || fail "not withheld"
sol indicator edit fam --kind rate; expect_exit 0
[ "$(store_sql 'SELECT count(*) FROM observation WHERE sdc > 0')" = 0 ] || fail "still withheld"
# the same value again: nothing changes, no audit row
n=$(store_sql "SELECT count(*) FROM audit")
sol indicator edit fam --unit families; expect_exit 0; expect_out '"changed": \{\}'
[ "$(store_sql "SELECT count(*) FROM audit")" = "$n" ] || fail "audited a non-change"
store_sql "SELECT detail FROM audit WHERE action = 'indicator.edit' ORDER BY id LIMIT 1" >"$T/out"
grep -q '"polarity"' "$T/out" && fail "a field not changed was audited"
expect_out '"unit":\{"new":"families","old":null\}'
# refused: the store unchanged
snapshot
sol indicator edit fam --polarity up; expect_exit 2
expect_err "polarity 'up': expected higher_better, lower_better or none"
sol indicator edit fam --kind share; expect_exit 2; expect_err "expected count, rate or other"
sol indicator edit nope --unit x; expect_exit 1; expect_err "no indicator 'nope' in the store"
sol indicator edit fam; expect_exit 2; expect_err "nothing to change"
sol indicator edit fam --label "$(printf 'two\nlines')"; expect_exit 2; expect_err "control character"
sol indicator show nope; expect_exit 1
sol indicator; expect_exit 2
expect_unchanged
