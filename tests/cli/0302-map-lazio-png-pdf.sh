# map: the same map as PNG (requested size, checked in the PNG header) and PDF, with no GLib or
# other message on stderr.
GEO="$DATA/lazio_municipalities.geojson"
args=(--geo "$GEO" --id-field istat_code --name-field name --data "$DATA/lazio_irpef_income.csv"
      --var pct_income_0_10k --period-field year --period 2021 --classes jenks --palette viridis
      --width 800 --height 700)
sol --quiet map "${args[@]}" --out "$T/m.png"
expect_exit 0
[ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
[ "$(head -c 8 "$T/m.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
# IHDR: width and height as big-endian 32-bit integers at byte 16
wh=$(od -An -tu1 -j16 -N8 "$T/m.png" | tr -s ' ' | sed 's/^ //')
[ "$wh" = "0 0 3 32 0 0 2 188" ] || fail "PNG size bytes $wh, expected 800 x 700"
sol --quiet map "${args[@]}" --scale 2 --out "$T/m2.png"
expect_exit 0
wh=$(od -An -tu1 -j16 -N8 "$T/m2.png" | tr -s ' ' | sed 's/^ //')
[ "$wh" = "0 0 6 64 0 0 5 120" ] || fail "PNG --scale 2 size bytes $wh, expected 1600 x 1400"
sol --quiet map "${args[@]}" --out "$T/m.PDF"
expect_exit 0
[ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
[ "$(head -c 5 "$T/m.PDF")" = "%PDF-" ] || fail "not a PDF"
