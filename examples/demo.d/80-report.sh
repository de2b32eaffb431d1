# 80-report.sh - demo step: the printable atlas in English (HTML and PDF) and French (PDF).
echo "== The atlas to print and share"
atlas_ind=pct_income_0_10k,mean_taxable_income_eur,04BEC006P,03LAV002-N22,02IST006-N22,04BEC001P
run report --out "$out/atlas.html" --indicators "$atlas_ind" --area 058091
run report --out "$out/atlas.pdf" --indicators "$atlas_ind" --area 058091
run report --out "$out/atlas_fr.pdf" --lang fr --indicators "$atlas_ind" --area 058091
