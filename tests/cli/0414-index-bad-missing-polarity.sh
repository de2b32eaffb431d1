# Bad spec: an indicator whose polarity neither the flags nor the store state (imported without
# metadata); refused before any work, nothing recorded. Stating it with :- makes it work.
. "$TOP/tests/cli/index_lib.sh"
with_regions
printf 'reg_code,year,poverty_gap\n' >"$T/p.csv"
for r in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
    printf '%s,2023,%s\n' "$r" "$((10#$r * 7 % 13 + 1))" >>"$T/p.csv"
done
sol import data "$T/p.csv" --area-field reg_code --period-field year; expect_exit 0
sol import data "$DATA/bes_regions_long.csv" --area-field reg_code --period-field year \
    --indicator-field indicator_id --indicator-meta "$DATA/bes_indicators.csv"; expect_exit 0
sol index --indicators 04BEC006P,poverty_gap --period 2023 --method mpi
expect_refused 'indicator "poverty_gap" has no polarity: neither the spec nor the store states it'
sol index --indicators 04BEC006P,poverty_gap:- --period 2023 --method mpi
expect_exit 0
expect_err "recorded as run 1"
