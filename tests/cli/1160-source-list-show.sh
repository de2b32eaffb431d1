# source list (CSV, --json) and source show: every version with its status, rows, licence,
# who imported it and the options recorded; an unknown name lists the close ones.
with_regions
export SOLIDATA_USER=maria
printf 'code,fam,parcels\n01,12,40\n02,30,95\n03,7,21\n' >"$T/help.csv"
sol import data "$T/help.csv" --area-field code --period 2023 --source aiuti --licence "internal use" \
    --attribution "Caritas"
expect_exit 0
sol source list; expect_exit 0
expect_out '^name,version,status,imported_at,imported_by,rows,licence,attribution,kind$'
expect_out '^aiuti,1,current,[0-9T:Z-]+,maria,6,internal use,Caritas,data$'
expect_out '^italy_regions.geojson,1,current,[0-9T:Z-]+,[^,]*,20,,,areas$'
expect_lines 3
sol source list --json; expect_exit 0
expect_out '"name": "aiuti"'; expect_out '"current_version": 1'; expect_out '"kind": "areas"'
sol source show aiuti; expect_exit 0
expect_out '"status": "current"'; expect_out '"area_field": "code"'; expect_out '"period": "2023"'
expect_out '"action": "import.data"'; expect_out '"runs": \[\]'
# a name close to the one given
snapshot
sol source show aiuto; expect_exit 1; expect_err "no source 'aiuto' in the store; did you mean 'aiuti'\?"
sol source show zzzzzzzzz; expect_exit 1; expect_err "'solidata source list' lists the sources"
sol source frobnicate; expect_exit 2
expect_unchanged
