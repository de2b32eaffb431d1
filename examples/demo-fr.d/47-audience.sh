# 47-audience.sh - étape de la démo française : un public défini par des variables, jamais par des
# noms, pour un accueil d'hiver des personnes âgées en Seine-Saint-Denis ; sa fiche publique, la
# liste des lieux pour les plateformes publicitaires, la carte à imprimer ; puis le non-recours :
# les ménages pauvres estimés face aux familles aidées par l'association (étape 45).
echo
echo "== Un public défini par des variables, jamais par des noms (Seine-Saint-Denis)"
cat <<MSG
Les communes de Seine-Saint-Denis (département 93) où le taux de pauvreté des ménages dont le
référent fiscal a 75 ans ou plus (Insee Filosofi 2019) est dans le quart le plus élevé. Les
personnes comptées sont toute la population des ménages fiscaux de ces communes : les affiches et
les visites les touchent toutes ; la donnée ne compte pas les personnes âgées pauvres elles-mêmes.
MSG
RULE='level commune
within 93
taux_pauvrete_60_ref_75plus_pct in top 25%
people nb_personnes_menages_fiscaux'
run audience define accueil-hiver-93 --rule "$RULE" \
    --purpose "Accueil d'hiver des personnes âgées : où afficher et où envoyer des bénévoles"
run_head 12 audience show accueil-hiver-93
run audience publish accueil-hiver-93
run audience export accueil-hiver-93 --format places --region "Île-de-France" --out "$out/accueil-hiver-93-lieux.csv"
head -4 "$out/accueil-hiver-93-lieux.csv"
run audience map accueil-hiver-93 --out "$out/accueil-hiver-93-carte.pdf"
echo "Fiche publique dans l'onglet « Qui nous ciblons » du tableau de bord ; lieux pour les"
echo "plateformes : $out/accueil-hiver-93-lieux.csv ; carte à imprimer : $out/accueil-hiver-93-carte.pdf"

echo
echo "== Le non-recours : ménages pauvres estimés et familles aidées, commune par commune"
cat <<MSG
Les ménages éligibles sont estimés par le nombre de ménages fiscaux multiplié par le taux de
pauvreté (Filosofi 2019 ; un taux de personnes appliqué à des ménages : une approximation). Les
familles aidées sont les chiffres de l'association (étape précédente) ; une commune absente de son
tableur compte zéro famille aidée (--missing-as-zero). L'écart le plus grand vient en premier.
MSG
run takeup --eligible 'level commune; within 93; people nb_menages_fiscaux * share taux_pauvrete_60_pct' \
    --receiving familles_aidees --period 2019 --missing-as-zero --out "$out/non-recours-93.csv"
head -6 "$out/non-recours-93.csv"
echo "Les dix communes où aller vers les ménages compte le plus deviennent un public (brouillon) :"
run takeup --eligible 'level commune; within 93; people nb_menages_fiscaux * share taux_pauvrete_60_pct' \
    --receiving familles_aidees --period 2019 --missing-as-zero --as-audience aller-vers-93 --top 10 \
    >/dev/null
run_head 6 audience show aller-vers-93
