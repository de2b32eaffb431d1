# The French demo speaks French from the first command to the atlas: it runs whole (import,
# index, hot spots, evolution, atlas), and neither its atlas nor what the commands said on the way
# holds a sentence of the English or Italian catalogue (tools/i18n-leaks.py; names of places and
# titles of sources are data and do not count).
DEMO_OUT=$T/demo "$TOP/examples/demo.sh" "$SOLIDATA" fr >"$T/narration" 2>"$T/log" ||
    { tail -20 "$T/log"; fail "the French demo failed"; }
[ -s "$T/demo/fr/atlas_fr.html" ] && [ -s "$T/demo/fr/atlas_fr.pdf" ] || fail "no atlas"
grep -q "Ce que montre cet atlas" "$T/demo/fr/atlas_fr.html" || fail "the atlas is not in French"
"$TOP/tools/i18n-leaks.py" fr "$T/demo/fr/atlas_fr.html" >"$T/out" || fail "the atlas: $(cat "$T/out")"
grep -v '^\$ solidata' "$T/log" >"$T/said"
"$TOP/tools/i18n-leaks.py" fr "$T/said" >"$T/out" || fail "the commands: $(cat "$T/out")"
# and the leak check sees a leak: the same atlas in English is caught
"$SOLIDATA" --db "$T/demo/demo-fr.db" --lang en report --out "$T/en.html" --indicators taux_pauvrete_60_pct 2>/dev/null
"$TOP/tools/i18n-leaks.py" fr "$T/en.html" >/dev/null && fail "the leak check does not see English"
true
