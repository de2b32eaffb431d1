# 20-index.sh - étape de la démo française : un indice composite des conditions de vie des 101
# départements (Filosofi 2019, AMPI, intervalles de rang par Monte-Carlo), enregistré comme analyse ;
# la spécification et ses raisons sont dans examples/filosofi-departements.json.
echo
echo "== Indice composite des conditions de vie des départements : 7 indicateurs Filosofi 2019, 3 dimensions (revenus, travail, logement)"
run index --spec "$(dirname "$(dirname "$D")")/filosofi-departements.json" --out "$out/indice_departements.csv"
"$S" --db "$db" areas >"$out/territoires.csv"
# rang, nom et intervalle de rang à 90 %, le nom pris dans la base (code,name,level,...)
awk -F, 'FNR == NR { if (FNR > 1) nom[$1] = $2; next }
    FNR > 1 { score = sprintf("%.1f", $3); sub(/\./, ",", score)
              printf "%d\t%s (%s) : score %s, rang %d (intervalle à 90 %% : %d à %d)\n",
              $4, nom[$1], $1, score, $4, $9, $10 }' "$out/territoires.csv" "$out/indice_departements.csv" |
    sort -n | cut -f2 >"$out/indice_departements.txt"
echo "Les trois départements les mieux placés (score plus haut = meilleures conditions de vie) :"
head -n 3 "$out/indice_departements.txt" | sed 's/^/  /'
echo "Les trois derniers :"
tail -n 3 "$out/indice_departements.txt" | sed 's/^/  /'
echo "Et la Seine-Saint-Denis :"
grep -F ' (93) : ' "$out/indice_departements.txt" | sed 's/^/  /'
echo "Tous les départements : $out/indice_departements.csv"
