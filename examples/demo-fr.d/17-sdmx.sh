# 17-sdmx.sh - étape de démo : un message SDMX tel que l'Insee le publie, lu en CSV (sans la base).
sdmx=$here/../tests/data/sdmx
echo "== SDMX : les séries de l'Insee (liste des dataflows, puis un message de données) en CSV"
run sdmx structure "$sdmx/INSEE/dataflow.xml" --lang fr --out "$out/insee_dataflows.csv"
grep -m 3 -E '^dataflow,FR1,(ACT|IPC)' "$out/insee_dataflows.csv"
run sdmx read "$sdmx/INSEE/CNA-2010-CONSO-SI-A17.xml" --out "$out/insee_cna_conso.csv"
