# setup_campaign_add.sh - for t_campaign_add.js: a count of the people an organisation helped in
# three municipalities of Lazio in 2021 (the non-take-up section of "Who we reach"). Sourced by
# run.sh with s, $D, $T.
printf 'istat_code,year,people_helped\n056001,2021,120\n058091,2021,900\n060038,2021,45\n' >"$T/helped.csv"
s import data "$T/helped.csv" --area-field istat_code --period-field year --count-indicators people_helped
