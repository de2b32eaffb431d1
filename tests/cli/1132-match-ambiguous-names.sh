# Homonymous communes of Île-de-France (Blandy 77/91, Marolles-en-Brie 77/94, Mondreville
# 77/78): the import stops listing each name with its candidates (name, code, parent's name) and
# how to resolve; a parent column or the person's choices resolve them
. "$TOP/tests/cli/match_lib.sh"
with_idf; snapshot
sol import data "$W/match_homonymes.csv" --area-field commune --period 2023
expect_exit 1
expect_err "3 names of column 'commune' match several areas of the store"
expect_err "'Blandy' \(line 2\): Blandy \(77034, Seine-et-Marne\), Blandy \(91067, Essonne\)"
expect_err "'Marolles-en-Brie' \(line 3\): Marolles-en-Brie \(77278, Seine-et-Marne\), Marolles-en-Brie \(94048, Val-de-Marne\)"
expect_err "'Mondreville' \(line 5\): Mondreville \(77297, Seine-et-Marne\), Mondreville \(78413, Yvelines\)"
expect_err "--parent-field COLUMN"; expect_err "--matches FILE.csv"
expect_unchanged
# the parent column holds names (Essonne) or codes (78)
sol import data "$W/match_homonymes.csv" --area-field commune --period 2023 --parent-field departement
expect_exit 0; expect_err "4 observations written"
sol export data --indicator familles --period 2023
expect_out "^91067,2023,familles,7"; expect_out "^94048,2023,familles,12"; expect_out "^78413,2023,familles,4"
expect_out "^93008,2023,familles,90"
# the same choices from a file, under another source name and period
sol import data "$W/match_homonymes.csv" --area-field commune --period 2024 --matches "$W/match_choix.csv" --source choix
expect_exit 0; expect_err "3 areas were matched by your choices"
sol export data --indicator familles --period 2024
expect_out "^91067,2024,familles,7"; expect_out "^94048,2024,familles,12"; expect_out "^78413,2024,familles,4"
# a choice naming a code the store does not have is an error at its line
printf 'name,code\nBlandy,99999\n' >"$T/bad.csv"
sol import data "$W/match_homonymes.csv" --area-field commune --period 2025 --matches "$T/bad.csv" --source bad
expect_exit 1; expect_err "bad.csv:2:.*area code '99999' chosen for 'Blandy' is not in the store"
