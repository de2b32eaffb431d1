# What the public sees of a hot-spot analysis is computed from what the public may see: a stored
# LISA or Gi* run over an indicator with withheld counts also holds, under "public", the analysis
# over the public values only, equal to the same analysis run on a file of the public values.
grid_geojson "$T/g.geojson" 4
awk 'BEGIN { print "code,year,v"; n = 0
    for (r = 0; r < 4; r++) for (c = 0; c < 4; c++) { n++; v = (n * 37) % 60 + r * 15;
        if (n == 6) v = 4; if (n == 11) v = 7; printf "c%d%d,2023,%d\n", r, c, v } }' >"$T/v.csv"
sol import areas "$T/g.geojson" --code-field code --level cell; expect_exit 0
sol import data "$T/v.csv" --area-field code --period-field year --count-indicators v; expect_exit 0
sol export data --indicator v; expect_exit 0
awk -F, 'NR > 1 && $4 != "" { print $1 "," $4 }' "$T/out" | sed '1i code,v' >"$T/public.csv"
withheld=$(awk -F, 'NR > 1 && $4 == "" { print $1 }' "$T/out" | sort | tr '\n' ' ')
[ -n "$withheld" ] || fail "the test needs withheld values"
for a in lisa gistar; do
    sol spatial $a --indicator v --islands keep --permutations 99 --seed 7; expect_exit 0
    run=$(store_sql "SELECT max(id) FROM run")
    store_sql "SELECT result FROM run WHERE id = $run" >"$T/res.json"
    jq -e '.public.areas' "$T/res.json" >/dev/null || fail "$a: no public variant in the run"
    got=$(jq -r '.public.areas[].id' "$T/res.json" | sort | tr '\n' ' ')
    for w in $withheld; do case " $got " in *" $w "*) fail "$a: withheld area $w in the public variant";; esac; done
    # the same analysis on a file holding only the public values and their areas
    jq --slurpfile keep <(awk -F, 'NR > 1 { print "\"" $1 "\"" }' "$T/public.csv") \
       '.features |= map(select(.properties.code as $c | $keep | index($c)))' "$T/g.geojson" >"$T/pub.geojson"
    "$SOLIDATA" spatial $a --geo "$T/pub.geojson" --id-field code --data "$T/public.csv" --var v \
        --islands keep --permutations 99 --seed 7 --json >"$T/file.json" 2>"$T/err" || fail "$a: file mode failed"
    stat=$([ $a = lisa ] && echo Ii || echo G)
    jq -r ".public.areas[] | [.id, .$stat, .z] | @csv" "$T/res.json" | sort >"$T/a.csv"
    jq -r ".areas[] | [.id, .$stat, .z] | @csv" "$T/file.json" | sort >"$T/b.csv"
    [ -s "$T/a.csv" ] && cmp -s "$T/a.csv" "$T/b.csv" || { diff "$T/a.csv" "$T/b.csv" | head; fail "$a: public variant differs from the analysis of the public values"; }
done
