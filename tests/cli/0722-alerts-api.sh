# GET /api/alerts over loopback: a note when no alerts run exists, then the latest run's result.
with_regions
printf 'code,label,polarity\nevict,Sfratti,lower_better\n' >"$T/meta.csv"
awk 'BEGIN { print "area,indicator,year,value"; for (a = 1; a <= 4; a++) for (y = 2010; y <= 2024; y++)
    printf "%02d,evict,%d,%g\n", a, y, (a == 2 ? 10 + y - 2010 : 10 + ((y * 7 + a) % 5) / 10) }' >"$T/d.csv"
sol import data "$T/d.csv" --area-field area --period-field year --indicator-field indicator --indicator-meta "$T/meta.csv"
expect_exit 0
serve
get /api/alerts; expect_code 200; expect_out '"alerts":\[\]'; expect_out '"note":"no alerts computed yet'
stop_server
sol alerts --since 2012; expect_exit 0
rm -f "$T/port"
serve
get /api/alerts; expect_code 200
jq -e '.run == 1 and (.created | length) > 0 and .since == "2012" and (.alerts | length) > 0 and .alerts[0].area == "02" and .alerts[0].direction == "worsening"' "$T/out" >/dev/null || fail "latest alerts run"
get /api/alerts -X POST -d '{}'; expect_code 405
stop_server
