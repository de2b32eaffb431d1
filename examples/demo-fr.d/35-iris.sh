# 35-iris.sh - étape de la démo française : à l'échelle des quartiers, les IRIS de Paris (Filosofi
# 2017) ; les poches de pauvreté par Moran local (LISA) du taux de pauvreté.
echo
echo "== Quartiers de Paris : 987 IRIS (contours IGN/Insee, Licence Ouverte 2.0), Filosofi 2017"
run import areas "$D/iris_paris.geojson" --code-field code --name-field nom \
    --parent-field code_commune --level IRIS --source "IGN/Insee Contours IRIS (Paris)" \
    --licence "Licence Ouverte / Etalab 2.0" --attribution "Contours IRIS : IGN et Insee"
run import data "$D/filosofi_iris_paris_2017.csv" --area-field IRIS --period 2017 \
    --indicators DISP_TP6017,DISP_Q117,niveau_vie_median \
    --indicator-meta "$D/filosofi_indicateurs_iris.csv" --source "Insee Filosofi 2017, IRIS de Paris" \
    --licence "Conditions de réutilisation de l'Insee (réutilisation libre, citer la source)" \
    --attribution "Insee, Filosofi 2017 (revenus disponibles par IRIS)"
awk -F, 'NR > 1 { n++; if ($6 == "") s++ }
    END { printf "%d IRIS ont des données ; pour %d d'\''entre eux, le taux de pauvreté n'\''est pas diffusé\n", n, s
          printf "(secret statistique) : valeur manquante, jamais zéro. Les 116 autres IRIS (bois, gares,\n"
          printf "zones d'\''activité) n'\''ont aucune donnée publiée.\n" }' "$D/filosofi_iris_paris_2017.csv"
run spatial lisa --indicator DISP_TP6017 --period 2017 --drop-missing --islands keep \
    --permutations 999 --seed 1 --out "$out/lisa_iris_paris.csv" 2>"$out/lisa_iris_paris.log" ||
    { cat "$out/lisa_iris_paris.log" >&2; exit 1; }
# les grappes HH (taux de pauvreté élevé entouré de taux élevés), par arrondissement
awk -F, 'FNR == NR { if (FNR > 1) arr[$1] = substr($4, 1, 5); next }
    FNR == 1 { for (k = 1; k <= NF; k++) if ($k == "cluster") c = k; next }
    { n[$c]++; if ($c == "HH") hh[arr[$1]]++ }
    END {
        printf "Sur %d IRIS : %d en grappes HH (pauvreté élevée entourée de pauvreté élevée), %d LL, %d non significatifs.\n", FNR - 1, n["HH"], n["LL"], n["NS"]
        printf "Grappes HH par arrondissement :"
        for (k = 1; k <= 20; k++) { a = sprintf("751%02d", k); if (a in hh) printf "%s %de : %d", (m++ ? " ;" : ""), k, hh[a] }
        printf ".\n"
    }' <("$S" --db "$db" areas) "$out/lisa_iris_paris.csv"
