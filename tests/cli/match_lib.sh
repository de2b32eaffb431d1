# match_lib.sh - a store with the départements of France and the communes of Île-de-France
# (communes' parents: their département), for the area-matching tests 1130-1159.
W=$TOP/tests/data/workspace
with_idf() {
    sol import areas "$DATA/france/departements_france_101.geojson" --code-field code --name-field nom --level département
    expect_exit 0
    sol import areas "$DATA/france/communes_idf_cog2019.geojson" --code-field code --name-field nom --parent-field departement --level commune
    expect_exit 0
}
