# Communes given by name only, as people write them: without the article, in capitals, without
# accents, St for Saint, a typographic apostrophe; all matched, and said
. "$TOP/tests/cli/match_lib.sh"
with_idf
sol import data "$W/match_communes_noms.csv" --area-field Commune --period 2023
expect_exit 0
expect_err "10 observations written"
expect_err "10 areas were matched by their names"
sol export data --indicator "Familles aidées" --period 2023
expect_out "^93027,2023,Familles aidées,120"   # courneuve -> La Courneuve
expect_out "^94038,2023,Familles aidées,41"    # l'hay les roses -> L'Haÿ-les-Roses
expect_out "^93039,2023,Familles aidées,19"    # L’Île-Saint-Denis
expect_out "^94078,2023,Familles aidées,57"    # Villeneuve St Georges
expect_out "^93007,2023,Familles aidées,64"    # le blanc mesnil -> Le Blanc-Mesnil
# Paris is a commune (75056) and a département (75): the level most names matched decides
printf 'commune,v\nParis,1\nBobigny,2\n' >"$T/paris.csv"
sol import data "$T/paris.csv" --area-field commune --period 2023
expect_exit 0
sol export data --indicator v --period 2023
expect_out "^75056,2023,v,1"
