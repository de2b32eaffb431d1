# 17-sdmx.sh - demo step: an SDMX message as ISTAT publishes it, read into a plain CSV (no store).
sdmx=$here/../tests/data/sdmx
echo "== SDMX: ISTAT's day-care services (dataflow 47_850) for two municipalities, as a long CSV"
run sdmx structure "$sdmx/ISTAT/47_850-structure.xml" --lang it --out "$out/istat_47_850_structure.csv"
head -n 4 "$out/istat_47_850_structure.csv"
run sdmx read "$sdmx/ISTAT/47_850-data.xml" --structure "$sdmx/ISTAT/47_850-structure.xml" \
    --out "$out/istat_47_850.csv"
