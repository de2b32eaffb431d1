# 95-serve.sh - demo step: how to open the dashboard over the demo store (not started here).
cat <<MSG

== The dashboard
Serve the atlas over the demo store (Ctrl-C stops it):
  $S --db $db serve
then open http://127.0.0.1:8080/ in a browser: the map of the 20 regions or the 378 municipalities
of Lazio, each area's profile, the sources and their licences, in Italian, French or English.
Visitors (and public accounts) see counts below the minimum cell size as "suppressed" (null in
the API, hatched on maps); analysts see the values with the flag.
Accounts for run results and exports: echo 'a-long-password' | $S --db $db user add NAME --role analyst
MSG
