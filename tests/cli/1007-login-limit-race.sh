# The login limit holds under concurrency: 24 wrong passwords sent at once on 8 threads get at
# most 5 answers of 401 (the attempt is counted under the lock before the password is checked);
# the rest get 429.
with_regions
echo 'analyst-pw-1' | "$SOLIDATA" --db "$DB" user add ana --role analyst 2>/dev/null
serve --threads 8
pids=()
for i in $(seq 1 24); do
    curl -s -m 30 -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
        -d "{\"name\":\"ana\",\"password\":\"wrong-pw-$i\"}" "$URL/api/login" >"$T/code.$i" &
    pids+=($!)
done
wait "${pids[@]}"
n401=$(cat "$T"/code.* | grep -c '^401$' || true)
n429=$(cat "$T"/code.* | grep -c '^429$' || true)
[ "$n401" -le 5 ] || fail "$n401 guesses checked (limit 5)"
[ $((n401 + n429)) = 24 ] || fail "answers: $(sort "$T"/code.* | uniq -c | tr '\n' ' ')"
stop_server
