# 95-serve.sh - demo step: how to open the dashboard over the demo store (not started here).
cat <<MSG

== The dashboard
Serve the atlas over the demo store (Ctrl-C stops it):
  $S --db $db serve
then open http://127.0.0.1:8080/ in a browser: the map of the 20 regions or the 378 municipalities
of Lazio (Show: an indicator, the composite index or the hot spots), each area's profile (why it
ranks where it does, its forecasts and alerts), the emerging needs, the sources and their
licences, in Italian, French or English. To find the most deprived municipality of Lazio: Areas
"Municipalities", Indicator "Taxpayers with total income up to 10,000 EUR", then the first row of the table.
Visitors (and public accounts) see counts below the minimum cell size, and the shares computed
from them (e.g. "Taxpayers with self-employment income" in small towns), as withheld (null in the
API, hatched or outlined on maps); analysts see the values, marked "withheld from the public".
Accounts for run results and exports: echo 'a-long-password' | $S --db $db user add NAME --role analyst
MSG
