# setup_audience.sh - a published audience card for the "Who we reach" view (t_audience.js):
# municipalities of Lazio in the top quarter of pension recipients, counting the taxpayers.
s audience define winter --drop-small \
    --rule 'level municipality; pct_pension_recipients in top 25%; people taxpayers' \
    --purpose 'Winter help desk'
s audience publish winter
