# 85-audience.sh - demo step: an audience by variables, never by names, for a winter help desk for
# older people living alone in Lazio; its public card, its places for advertising platforms, its
# printable map.
echo
echo "== An audience for a winter help desk (by variables, never by names)"
echo "   The store has no count of people aged 75 and over living alone in Lazio. The audience"
echo "   counts instead the taxpayers declaring a pension income (MEF IRPEF, pension_income_n): a"
echo "   LABELLED PROXY for older people, not the persons aged 75+ living alone. Its label says so,"
echo "   in three languages, and so does the card's purpose."
run --quiet indicator edit pension_income_n \
    --label-en "Pension recipients (IRPEF; a proxy for older people)" \
    --label-fr "Bénéficiaires d'une pension (IRPEF ; indicateur approché des personnes âgées)" \
    --label-it "Titolari di pensione (IRPEF; approssimazione delle persone anziane)" >/dev/null
RULE='level municipality
within 12                           # Lazio
pct_pension_recipients in top 25%   # the quarter of municipalities with most pension recipients
pct_income_0_10k > 30               # and over 30% of taxpayers under 10,000 euros
people pension_income_n'
PURPOSE="Winter help desk for older people living alone: where to put up posters and send volunteers. Pension recipients (IRPEF) stand in for older people, whom the data do not count."
echo "   With k = 100 (the default minimum number of people per municipality) the rule is refused,"
echo "   and the message names the municipalities below k and the k that would let it pass:"
run audience define winter-desk --rule "$RULE" --purpose "$PURPOSE" || true
echo "   The organisation keeps k = 100 and leaves those municipalities out, which the card says:"
run audience define winter-desk --rule "$RULE" --purpose "$PURPOSE" --drop-small
run_head 16 audience show winter-desk
echo "   The same card in Italian (the rule in words, the indicators' labels in Italian):"
run_head 4 audience show winter-desk --lang it
echo "   Published like an ad-library entry: anyone sees it in the dashboard's 'Who we reach'."
run audience publish winter-desk
echo "   A second audience over the same municipalities counting every taxpayer would let anyone"
echo "   subtract one card from the other and find the few taxpayers without a pension in a"
echo "   municipality: it is refused, naming where."
run audience define winter-desk-all --rule "level municipality
within 12
pct_pension_recipients in top 25%
pct_income_0_10k > 30
people taxpayers" --drop-small || true
run audience export winter-desk --format places --country Italy --out "$out/winter-desk-places.csv"
head -4 "$out/winter-desk-places.csv"
run audience export winter-desk --format radius --out "$out/winter-desk-radius.csv"
head -3 "$out/winter-desk-radius.csv"
run audience map winter-desk --out "$out/winter-desk-map.pdf"
echo "   Places for advertising platforms: $out/winter-desk-places.csv (names with region and"
echo "   country; the store holds no postal codes), $out/winter-desk-radius.csv (centre and radius);"
echo "   printable map for leafleting and door-to-door visits: $out/winter-desk-map.pdf"
