# A wide import without --indicators does not turn identifiers that look like numbers into public
# indicators: columns named as one (phone, telefono, téléphone, id, cap, codice_fiscale, ...) and
# columns of whole numbers with leading zeros or of 8+ digits that no two areas share are left
# out, each with its reason on stderr and in the report; --indicators still imports one by name.
with_regions
{
    echo 'reg_code,reg_name,poor,phone,telefono,Téléphone,user_id,codice_fiscale,cap,codice,zona,tot_eur'
    i=0
    for r in 01 02 03 04 05 06 07 08 09 10; do
        i=$((i + 1))
        echo "$r,R$r,$((i * 7)),33312345$((10 + i)),06555$((1000 + i)),0145$((100000 + i)),$((500 + i)),$((8000000000 + i)),$((10100 + i)),$((90000000 + i * 13)),0$((70 + i)),$((1000000 * i * i + 9))"
    done
} >"$T/w.csv"
sol import data "$T/w.csv" --area-field reg_code --period 2023
expect_exit 0
for c in phone telefono Téléphone user_id codice_fiscale cap; do
    expect_err "[:,]$c \(an identifier by its name; --indicators imports it\)"
done
expect_err ",codice \(an identifier: whole numbers of 8\+ digits, one per area; --indicators"
expect_err ",zona \(a code: whole numbers with leading zeros; --indicators imports it\)"
expect_err "left out: reg_name,"
# the measures stay indicators: 'poor', and totals that run to 8+ digits but start shorter
expect_err "2 indicators \(2 new\)"
sol indicators; expect_exit 0
expect_out '^poor,'; expect_out '^tot_eur,'
grep -qE '^(phone|telefono|Téléphone|user_id|codice_fiscale|cap|codice|zona),' "$T/out" &&
    fail "an identifier became an indicator"
# the same number repeated for one area over the periods is still that area's identifier
{
    echo 'reg_code,year,rate,codice'
    for r in 01 02 03; do for y in 2022 2023; do echo "$r,$y,$((${r#0} + y - 2000)),1234567${r}0"; done; done
} >"$T/p.csv"
sol import data "$T/p.csv" --area-field reg_code --period-field year
expect_exit 0; expect_err "[:,] ?codice \(an identifier: whole numbers of 8\+ digits"
# a value that two areas share is not an identifier
printf 'reg_code,poor,shared\n01,1,12345678\n02,2,12345678\n03,3,23456789\n' >"$T/s.csv"
sol import data "$T/s.csv" --area-field reg_code --period 2021
expect_exit 0; expect_err "2 indicators \(1 new\)"
# named explicitly, an identifier-like column is imported
sol import data "$T/w.csv" --area-field reg_code --period 2023 --indicators phone,codice \
    --source w2
expect_exit 0
sol indicators; expect_out "^phone,"; expect_out "^codice,"
# totals in euros that all run to 8+ digits but differ in length (areas of different sizes) stay
# indicators: identifiers and phone numbers are all as long as each other
{
    echo 'reg_code,income_eur'
    i=0
    for r in 01 02 03 04 05 06 07 08 09 10; do i=$((i + 1)); echo "$r,$((12345678 * i * i * i))"; done
} >"$T/big.csv"
sol import data "$T/big.csv" --area-field reg_code --period 2023
expect_exit 0; expect_err "1 indicators \(1 new\)"
