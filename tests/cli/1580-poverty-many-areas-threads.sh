# Many distinct area codes over several chunks of the parallel reader (short codes through the
# thread's integer table, grown chunk after chunk; codes of more than 8 bytes through the string
# map): byte-identical output on 1 and 2 threads and from the streaming reader.
awk 'BEGIN { srand(5); print "area,w,inc"
    for (i = 0; i < 500000; i++) {
        a = int(rand() * 20000)
        printf "%s,%.2f,%.2f\n", (a % 7 ? sprintf("A%05d", a) : sprintf("LONGCODE-%05d", a)),
            1 + rand(), 5000 + 30000 * rand() } }' >"$T/many.csv"
args=(--microdata "$T/many.csv" --weight w --income inc --by area)
OMP_NUM_THREADS=1 sol poverty "${args[@]}"; expect_exit 0; cp "$T/out" "$T/one"
[ "$(grep -c '^A[0-9]' "$T/one")" -gt 15000 ] || fail "expected about 17,000 short area codes"
grep -q '^LONGCODE-' "$T/one" || fail "expected long area codes"
OMP_NUM_THREADS=2 sol poverty "${args[@]}"; expect_exit 0
cmp -s "$T/one" "$T/out" || fail "1 and 2 threads differ"
SOL_MICRODATA_STREAM=1 sol poverty "${args[@]}"; expect_exit 0
cmp -s "$T/one" "$T/out" || fail "the streaming reader differs"
