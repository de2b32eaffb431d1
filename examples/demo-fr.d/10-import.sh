# 10-import.sh - étape de la démo française : les contours (départements, communes d'Île-de-France)
# et les indicateurs Insee Filosofi dans la base, avec leur provenance et leur licence.
echo "== Contours : 101 départements et 1 268 communes d'Île-de-France (IGN Admin Express, Licence Ouverte / Etalab 2.0)"
run import areas "$D/departements_france_101.geojson" --code-field code --name-field nom \
    --level département --source "IGN Admin Express COG 2018 (départements)" \
    --licence "Licence Ouverte / Etalab 2.0" \
    --attribution "Contours : IGN Admin Express COG 2018, via gregoiredavid/france-geojson"
run import areas "$D/communes_idf_cog2019.geojson" --code-field code --name-field nom \
    --parent-field departement --level commune --source "IGN Admin Express COG 2019 (communes IDF)" \
    --licence "Licence Ouverte / Etalab 2.0" \
    --attribution "Contours : IGN Admin Express COG 2018, fusions de communes du 1er janvier 2019 appliquées"

echo
echo "== Indicateurs : Insee Filosofi, communes d'Île-de-France (2015, 2016, 2019) et départements (2019)"
echo "Les libellés des indicateurs sont en français, en anglais et en italien ($D/filosofi_indicateurs_*.csv)."
run import data "$D/filosofi_communes_idf_2015_2016_2019.csv" --area-field code --period-field annee \
    --indicator-meta "$D/filosofi_indicateurs_communes.csv" --skip-unknown-areas \
    --source "Insee Filosofi, communes d'Île-de-France" \
    --licence "Conditions de réutilisation de l'Insee (réutilisation libre, citer la source)" \
    --attribution "Insee, Filosofi 2015, 2016 et 2019"
echo "Les 8 lignes écartées sont des communes de 2015 absorbées au 1er janvier 2019 (77028 Beautheil,"
echo "91182 Courcouronnes...) : elles n'ont plus de contour en géographie 2019. Pour les 8 communes qui"
echo "les ont absorbées, la valeur 2015 ne couvre que l'ancienne commune."
run import data "$D/filosofi_departements_2019.csv" --area-field code --period-field annee \
    --indicator-meta "$D/filosofi_indicateurs_departements.csv" \
    --source "Insee Filosofi 2019, départements" \
    --licence "Conditions de réutilisation de l'Insee (réutilisation libre, citer la source)" \
    --attribution "Insee, Filosofi 2019"

# secret statistique : les cases vides du fichier Insee (« s » secret statistique, « nd » non
# disponible) sont importées comme valeurs manquantes, jamais comme zéro
awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) col[$k] = k; next }
    $col["annee"] == 2019 {
        n++
        if ($col["mediane_niveau_vie_eur"] == "") nomed++
        else if ($col["taux_pauvrete_60_pct"] == "") norate++
        if ($1 ~ /^93/ && $col["taux_pauvrete_60_pct"] != "") n93++
    }
    END {
        printf "Secret statistique (2019) : sur %d communes, %d n'\''ont pas de niveau de vie médian diffusé\n", n, nomed
        printf "(moins de 50 ménages fiscaux) et %d ont un niveau de vie médian mais pas de taux de pauvreté\n", norate
        printf "(l'\''Insee ne le diffuse qu'\''au-delà d'\''environ 1 000 ménages fiscaux). Ces valeurs restent\n"
        printf "manquantes dans la base et sur les cartes (« pas de donnée »), jamais zéro. Les %d communes\n", n93
        printf "de Seine-Saint-Denis ont toutes un taux de pauvreté publié.\n"
    }' "$D/filosofi_communes_idf_2015_2016_2019.csv"
