# The help in French and Italian fits 100 columns, counted in characters ("é" is one column),
# as the English one does (synopsis lines, which hold flags only, may be longer).
for l in fr it; do
    for c in "" init import "import areas" "import data" export "export data" catalog runs "runs show" \
             report serve user "user add" index spatial "spatial weights" "spatial lisa" map poverty mpi \
             sae "sae fh" prioritise evaluate "evaluate did" "evaluate synth" trend changepoints \
             forecast anomalies project-population alerts keygen pseudonymise link tabulate budget \
             "budget set" audit card source "source restore" sdmx "sdmx read" "sdmx structure" connect \
             "connect add" "connect search" refresh audience "audience define" "audience export" takeup "store copy" \
             campaign "campaign add" "campaign label" ledger "ledger add" "ledger verify"; do
        # shellcheck disable=SC2086
        sol --lang $l $c --help; expect_exit 0
        grep -v 'solidata ' "$T/out" >"$T/body" || true
        w=$(LC_ALL=C.UTF-8 wc -L <"$T/body")
        [ "$w" -le 100 ] || fail "$l '$c --help': a line of $w columns: $(LC_ALL=C.UTF-8 awk 'length > 100' "$T/body" | head -n 1)"
    done
done
# the wrapping counts characters: a French option line of 99 characters holds more than 100 bytes
sol --lang fr poverty --help
LC_ALL=C awk 'length > 100 { n++ } END { exit !(n > 0) }' "$T/out" || fail "no line over 100 bytes: the test proves nothing"
