# setup_campaign_add.sh - for t_campaign_add.js: a count of the people an organisation helped in
# three municipalities of Lazio in 2021 (the non-take-up section of "Who we reach"), labelled in
# the three languages. Sourced by run.sh with s, $D, $T.
printf 'istat_code,year,people_helped\n056001,2021,120\n058091,2021,900\n060038,2021,45\n' >"$T/helped.csv"
cat >"$T/helped-meta.csv" <<'CSV'
code,label,label_en,label_fr,label_it,unit,unit_en,unit_fr,unit_it,polarity,dimension,numerator,denominator
people_helped,People helped by the organisation,People helped by the organisation,Personnes aidées par l'association,Persone aiutate dall'associazione,persons,persons,personnes,persone,,income,,
CSV
s import data "$T/helped.csv" --area-field istat_code --period-field year \
    --indicator-meta "$T/helped-meta.csv" --count-indicators people_helped
