# 47-campagne.sh - étape de la démo française : une collecte de fournitures scolaires en Seine-
# Saint-Denis, avec un registre public chaîné et signé (docs/ledger.md), vérifié et labellisé.
echo
echo "== Une collecte de fournitures scolaires en Seine-Saint-Denis, avec un registre public signé"
rm -f "$out/cle-org.key"
run ledger keygen --out "$out/cle-org.key" >"$out/cle-org.pub"
# son public : les communes où le non-recours est le plus grand (l'étape 47-audience.sh), publié
aud=()
if "$S" --db "$db" audience show aller-vers-93 >/dev/null 2>&1; then
    run audience publish aller-vers-93
    aud=(--audience aller-vers-93)
fi
run campaign add fournitures-93 --kind fundraising --lang fr \
    --objective "Des fournitures scolaires pour les enfants des familles modestes de Seine-Saint-Denis à la rentrée" \
    --evidence indicator:dep_taux_pauvrete_60_pct,area:93 "${aud[@]}" \
    --budget 3000 --starts 2027-08-01 --ends 2027-09-15
k=(--key "$out/cle-org.key")
{
    run ledger add fournitures-93 --donation 30 --date 2027-08-02 --channel online --donor d-5e21c0 "${k[@]}"
    run ledger add fournitures-93 --donation 100 --date 2027-08-03 --channel cheque "${k[@]}"
    run ledger add fournitures-93 --donation 15 --date 2027-08-05 --channel cash "${k[@]}"
    run ledger add fournitures-93 --expenditure 120 --date 2027-08-20 --category objective --what "cartables et trousses" "${k[@]}"
    run ledger add fournitures-93 --expenditure 9.90 --date 2027-08-21 --category running --what "frais d'envoi" "${k[@]}"
} >/dev/null
run ledger export fournitures-93 --out "$out/registre_fournitures-93.json"
run ledger verify "$out/registre_fournitures-93.json" --public-key "$(cat "$out/cle-org.pub")"
run campaign publish fournitures-93
run campaign label fournitures-93 --rules "$(dirname "$(dirname "$D")")/label-rules.json" --svg "$out/label_fournitures-93.svg"
