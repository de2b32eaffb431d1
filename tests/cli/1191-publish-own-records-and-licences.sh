# Private by default: a source of the organisation's own records (--own-records, or a licence that
# is not open) is a draft even when new sources are published at once, its small counts are
# withheld, and it is published only with --confirm-own-records; a licence that forbids
# publication ("internal use") is refused, from the command line and the API.
with_regions
printf 'code,helped\n01,120\n12,345\n15,4\n' >"$T/helped.csv"
# own records and --publish: refused, nothing imported
snapshot
sol import data "$T/helped.csv" --area-field code --period 2024 --source helped --own-records \
    --count-indicators helped --publish
expect_exit 1; expect_err "own records"; expect_err "--confirm-own-records"
expect_unchanged
# a draft, although this command publishes what it adds (SOLIDATA_PUBLISH_AUTO=on, lib.sh)
sol import data "$T/helped.csv" --area-field code --period 2024 --source helped --own-records \
    --count-indicators helped
expect_exit 0
sol publish drafts; expect_exit 0; expect_out '^source,[0-9]+,helped,1,1,,'
# licences: not open (own records), forbidding publication, open
printf 'code,parcels\n01,50\n12,7\n' >"$T/parcels.csv"
sol import data "$T/parcels.csv" --area-field code --period 2024 --source parcels --licence "Internal use only"
expect_exit 0
printf 'code,meals\n01,500\n12,70\n' >"$T/meals.csv"
sol import data "$T/meals.csv" --area-field code --period 2024 --source meals --licence "CC BY-NC 4.0"
expect_exit 0
printf 'code,beds\n01,30\n12,12\n' >"$T/beds.csv"
sol import data "$T/beds.csv" --area-field code --period 2024 --source beds --licence "CC BY 4.0 Internazionale"
expect_exit 0
sol publish drafts; expect_exit 0; expect_lines 4
expect_out '^source,[0-9]+,parcels,1,1,Internal use only,'; expect_out '^source,[0-9]+,meals,1,1,CC BY-NC 4.0,'
grep -q ',beds,' "$T/out" && fail "an open licence made a draft"
# publishing own records needs a confirmation
snapshot
sol publish source helped; expect_exit 1; expect_err "holds the organisation's own records"
expect_err "--confirm-own-records"; expect_unchanged
sol publish source parcels --confirm-own-records; expect_exit 1
expect_err "its licence \(\"Internal use only\"\) forbids publication"; expect_unchanged
sol publish source helped --confirm-own-records; expect_exit 0; expect_err "published"
sol publish source nope; expect_exit 1; expect_err "no source named 'nope'"
sol publish run 999; expect_exit 1; expect_err "no run with id 999"
sol publish run abc; expect_exit 2
sol publish thing; expect_exit 2
# the public sees the published own records with the small count withheld (k 10)
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve
get "/api/observations?indicator=helped"; expect_code 200
expect_out '"area":"15","period":"2024","indicator":"helped","value":null,"se":null,"flags":"suppressed"'
expect_out '"area":"12","period":"2024","indicator":"helped","value":345'
get "/api/observations?indicator=parcels"; expect_code 404 # a draft's indicator is unknown to the public
grep -q '"value":7' "$T/out" && fail "a draft reached the public"
get /api/catalog; grep -q '"parcels"' "$T/out" && fail "a draft source in the public catalog"
curl -s -o "$T/login.json" -c "$T/ana.jar" -H 'Content-Type: application/json' \
    -d '{"name":"ana","password":"analyst-pw-1"}' "$URL/api/login"
A=(-b "$T/ana.jar" -H "X-CSRF-Token: $(jq -r .csrf "$T/login.json")" -X POST -H 'Content-Type: application/json')
get /api/publish "${A[@]}" -d '{"kind":"source","name":"parcels","confirm_own_records":true}'; expect_code 403
expect_out 'forbids publication'
get /api/publish "${A[@]}" -d '{"kind":"source","name":"meals"}'; expect_code 403; expect_out 'confirm'
get /api/publish "${A[@]}" -d '{"kind":"source","name":"meals","confirm_own_records":"yes"}'; expect_code 400
get /api/publish "${A[@]}" -d '{"kind":"source","name":"meals","confirm_own_records":true}'; expect_code 200
get "/api/observations?indicator=meals"; expect_code 200; expect_out '"area":"12","period":"2024","indicator":"meals","value":70'
# and back to a draft
get /api/publish "${A[@]}" -d '{"kind":"source","name":"meals","publish":false}'; expect_code 200
get "/api/observations?indicator=meals"; expect_code 404
stop_server
sol unpublish source helped; expect_exit 0; expect_err "is a draft again"
sol unpublish source helped; expect_exit 0; expect_err "already a draft"
# the atlas is made for the public: the published own records are in it, the drafts are not
sol publish source helped --confirm-own-records; expect_exit 0
sol report --out "$T/atlas.html"; expect_exit 0
grep -q 'helped' "$T/atlas.html" || fail "a published source is not in the atlas"
grep -qE 'parcels|meals' "$T/atlas.html" && fail "a draft source is in the atlas"
true
