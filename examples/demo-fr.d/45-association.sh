# 45-association.sh - étape de la démo française : le tableur d'une association (familles aidées
# par commune, 2015, 2016 et 2019 ; des chiffres inventés pour la démonstration) va de l'aperçu à
# la carte publique, en taux pour 1 000 habitants, ses petits effectifs masqués. C'est le chemin
# que le tableau de bord propose à une personne connectée comme analyste (onglet « Espace de
# travail ») ; ici en ligne de commande.
echo
echo "== Le tableur d'une association : de l'aperçu à la carte publique"
cat <<MSG
Une association de Seine-Saint-Denis tient dans un tableur Excel le nombre de familles aidées par
commune : des noms de communes sans code, une ligne « Total », des milliers écrits « 2 521 », une
colonne par année. Un aperçu d'abord : rien n'est écrit.
MSG
X=$D/familles-aidees.xlsx
run import data "$X" --area-field Commune --indicator familles_aidees --own-records --preview ||
    true
cat <<MSG
Marolles-en-Brie existe en Seine-et-Marne et dans le Val-de-Marne : c'est à la personne de dire
laquelle. Son choix tient dans un petit fichier (nom,code), puis l'import se fait.
MSG
printf 'name,code\nMarolles-en-Brie,94048\n' >"$out/choix_communes.csv"
run import data "$X" --area-field Commune --indicator familles_aidees --own-records \
    --matches "$out/choix_communes.csv"
cat <<MSG
Ce sont les données propres de l'association : un brouillon que seuls les analystes voient, dont
les effectifs sous 10 familles sont masqués. Les publier demande de le confirmer.
MSG
run publish source familles-aidees.xlsx || true
run publish source familles-aidees.xlsx --confirm-own-records
echo "Des effectifs aux besoins : familles aidées pour 1 000 habitants (population Insee Filosofi)."
SOLIDATA_PUBLISH_AUTO=off run derive rate --numerator familles_aidees \
    --denominator nb_personnes_menages_fiscaux --per 1000 --as familles_pour_1000
run publish drafts
run publish source derived:familles_pour_1000
rid=$("$S" --db "$db" publish drafts 2>/dev/null | awk -F, '$1 == "run" && $3 == "derive.rate" { print $2 }')
[ -z "$rid" ] || run publish run "$rid"
echo "Ce que voit le public en 2019 (les taux calculés sur de petits effectifs restent masqués) :"
"$S" --db "$db" export data --indicator familles_pour_1000 --period 2019 2>/dev/null |
    awk -F, 'FNR == NR { if (FNR > 1) nom[$1] = $2; next }
        FNR > 1 && $6 ~ /suppressed/ { printf "  %s : masqué (petit effectif)\n", nom[$1]; next }
        FNR > 1 { v = sprintf("%.1f", $4); sub(/\./, ",", v); printf "  %s : %s pour 1 000\n", nom[$1], v }' \
        "$out/territoires.csv" -
