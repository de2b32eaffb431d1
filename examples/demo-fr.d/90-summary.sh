# 90-summary.sh - étape de la démo française : ce que contient la base, et où regarder ensuite.
echo
echo "== Ce que contient la base"
run init
"$S" --db "$db" catalog >"$out/catalogue.csv"
"$S" --db "$db" catalog --json >"$out/catalogue.json"
"$S" --db "$db" indicators >"$out/indicateurs.csv"
"$S" --db "$db" indicators --json >"$out/indicateurs.json"
echo "Sources (le catalogue, $out/catalogue.csv) :"
jq -r '.[] | "  \(.name), version \(.version) : \(.licence // "licence non indiquée")"' "$out/catalogue.json"
cat <<MSG

Terminé. À regarder :
  $db            la base (SQLite) : solidata --db $db catalog
  $out/atlas_fr.html   l'atlas (à ouvrir dans un navigateur) ; atlas_fr.pdf pour l'imprimer
  $out/lisa_idf.svg    la carte des poches de bas niveau de vie
  $out/lisa_iris_paris.csv   les grappes de pauvreté des IRIS de Paris (Moran local)
  $out/indice_departements.csv   l'indice composite des départements
  $out/indicateurs.json          les indicateurs avec leurs libellés en français, anglais et italien

Le tableau de bord sur cette base (Ctrl-C l'arrête) : $S --db $db serve
puis http://127.0.0.1:8080/ dans un navigateur.
Source des données : Insee, Filosofi 2015, 2016, 2017 (IRIS) et 2019 ; contours IGN (Licence
Ouverte / Etalab 2.0). Détails et licences : examples/data/france/README.md.
MSG
