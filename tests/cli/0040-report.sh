# The printable atlas: HTML and PDF, three languages, an area's profile, sources credited.
with_regions
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv" --licence "CC BY 3.0" \
    --attribution "Fonte: Istat"
sol report --out "$T/a.html" --indicators 04BEC006P,03LAV002-N22 --area 12; expect_exit 0
grep -q '<html lang="en">' "$T/a.html" || fail "no html"
[ "$(grep -o '<svg' "$T/a.html" | wc -l)" = 2 ] || fail "not two maps"
grep -q "Where the need is greatest" "$T/a.html" || fail "no need section"
grep -q "Profile of Lazio" "$T/a.html" || fail "no profile (by the area's name)"
grep -q "CC BY 3.0" "$T/a.html" || fail "licence not credited"
grep -q "Fonte: Istat" "$T/a.html" || fail "attribution not credited"
grep -q "<script" "$T/a.html" && fail "the report must not carry script"
sol report --out "$T/a.html" --lang fr --indicators 04BEC006P; expect_exit 0
grep -q "Où le besoin est le plus fort" "$T/a.html" || fail "not in French"
grep -q "plus élevé est pire" "$T/a.html" || fail "the map's subtitle is not in French"
grep -q "Quantiles" "$T/a.html" || fail "no legend title"
sol report --out "$T/a.html" --lang it --indicators 04BEC006P; expect_exit 0
grep -q "Dove il bisogno è maggiore" "$T/a.html" || fail "not in Italian"
grep -q "Quantili" "$T/a.html" || fail "the map's legend is not in Italian"
sol report --out "$T/a.pdf" --area 12 --max-indicators 2; expect_exit 0
head -c 5 "$T/a.pdf" | grep -q '%PDF-' || fail "not a PDF"
[ "$(grep -ac '/Type /Page$\|/Type /Page ' "$T/a.pdf")" -ge 2 ] || fail "fewer than 2 pages"
sol report --out "$T/a.html" --lang de; expect_exit 1; expect_err "language 'de': expected en, it or fr"
sol report --out "$T/a.doc"; expect_exit 1; expect_err "written as .html or .pdf"
sol report --out "$T/a.html" --area 99; expect_exit 1; expect_err "no area with code '99'"
sol report --out "$T/a.html" --indicators NOPE; expect_exit 1; expect_err "no indicator 'NOPE'"
sol report; expect_exit 2
