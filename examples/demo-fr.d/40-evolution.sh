# 40-evolution.sh - étape de la démo française : l'évolution 2015-2019 du taux de pauvreté en
# Seine-Saint-Denis, et pourquoi la démo ne fait pas de prévision sur ces séries.
echo
echo "== Évolution du taux de pauvreté en Seine-Saint-Denis, 2015 → 2019"
"$S" --db "$db" export data --indicator taux_pauvrete_60_pct --out "$out/taux_pauvrete_communes.csv" 2>/dev/null
awk -F, 'FNR == NR { if (FNR > 1) nom[$1] = $2; next }
    FNR > 1 && $1 ~ /^93/ && $4 != "" { v[$1, $2] = $4; c[$1] = 1 }
    END { for (k in c) if ((k, 2015) in v && (k, 2019) in v)
              printf "%d\t%s : %d %% en 2015, %d %% en 2019\n", v[k, 2019] - v[k, 2015], nom[k], v[k, 2015], v[k, 2019] }' \
    "$out/territoires.csv" "$out/taux_pauvrete_communes.csv" | sort -t"$(printf '\t')" -k1,1nr >"$out/evolution_93.txt"
awk -F'\t' '{ d = $1 + 0; if (d > 0) up++; else if (d < 0) down++; else same++ }
    END { printf "%d communes : %d en baisse, %d stables, %d en hausse (en points).\n", NR, down, same, up }' \
    "$out/evolution_93.txt"
if awk -F'\t' '$1 + 0 > 0 { f = 1 } END { exit !f }' "$out/evolution_93.txt"; then
    echo "Plus fortes hausses :"
    awk -F'\t' '$1 + 0 > 0' "$out/evolution_93.txt" | sed -n "1,3p" | cut -f2 | sed 's/^/  /'
fi
echo "Plus fortes baisses :"
tail -n 3 "$out/evolution_93.txt" | sort -t"$(printf '\t')" -k1,1n | cut -f2 | sed 's/^/  /'
cat <<MSG
Pas de prévision ici : les séries communales n'ont que trois années (2015, 2016 et 2019 ; les
fichiers communaux Filosofi 2017 et 2018 n'ont pas été trouvés), irrégulièrement espacées. Combler
2017 et 2018 par interpolation inventerait deux valeurs sur cinq, et même ainsi le lissage
exponentiel (ETS) demande au moins 7 valeurs, la marche aléatoire des séries courtes 4 : avec trois,
'solidata forecast' écarte ces séries en le disant,
plutôt que de fabriquer une prévision. Les taux communaux sont en outre des entiers (arrondis par
l'Insee) : un écart d'un point n'est pas une évolution significative.
MSG
