# 50-report.sh - étape de la démo française : l'atlas en français (HTML et PDF), avec le profil de
# Saint-Denis (93066).
echo
echo "== L'atlas à imprimer et partager, en français"
atlas_ind=taux_pauvrete_60_pct,mediane_niveau_vie_eur,part_minima_sociaux_pct,taux_pauvrete_60_locataires_pct,dep_taux_pauvrete_60_pct
run report --lang fr --out "$out/atlas_fr.html" --indicators "$atlas_ind" --area 93066
run report --lang fr --out "$out/atlas_fr.pdf" --indicators "$atlas_ind" --area 93066
