# 30-spatial.sh - étape de la démo française : les communes à bas niveau de vie forment-elles des
# poches ? LISA (Moran local) du niveau de vie médian 2019 des communes d'Île-de-France.
echo
echo "== Points chauds de la pauvreté : poches de bas niveau de vie (Moran local, LISA), communes d'Île-de-France, 2019"
echo "Contiguïté « reine » ; les 16 communes sans valeur diffusée sont laissées de côté (--drop-missing)."
run spatial lisa --indicator mediane_niveau_vie_eur --period 2019 --drop-missing --islands keep \
    --permutations 999 --seed 1 --out "$out/lisa_idf.csv" 2>"$out/lisa_idf.log" ||
    { cat "$out/lisa_idf.log" >&2; exit 1; }
awk -F, 'FNR == NR { if (FNR > 1) nom[$1] = $2; next }
    FNR == 1 { for (k = 1; k <= NF; k++) if ($k == "cluster") c = k; next }
    { n[$c]++; if ($c == "LL" && $1 ~ /^93/) { ll93++; l = l (l ? ", " : "") nom[$1] } }
    END {
        printf "Sur %d communes : %d en grappes LL (bas niveau de vie entourées de communes à bas niveau\n", FNR - 1, n["LL"]
        printf "de vie), %d HH, %d LH, %d HL, %d non significatives (999 permutations, seuil 5 %%).\n", n["HH"], n["LH"], n["HL"], n["NS"]
        printf "Dont %d communes de Seine-Saint-Denis en grappe LL : %s.\n", ll93, l
    }' "$out/territoires.csv" "$out/lisa_idf.csv"
"$S" --db "$db" export areas --level commune --out "$out/communes_idf.geojson" 2>/dev/null
run map --geo "$out/communes_idf.geojson" --id-field code --name-field name --lisa "$out/lisa_idf.csv" \
    --title "Poches de bas niveau de vie, Île-de-France 2019 (LISA, 999 permutations)" \
    --source "Insee, Filosofi 2019 ; contours IGN Admin Express" --licence "Licence Ouverte / Etalab 2.0" \
    --out "$out/lisa_idf.svg"
