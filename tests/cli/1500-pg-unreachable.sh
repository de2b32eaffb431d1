# A PostgreSQL store on a server nobody listens at: said (which server, what to check), the
# password never printed, exit 1. Needs no server: runs on both backends.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SOLIDATA" --db "postgresql://ana:s3cr3t-pw@127.0.0.1:$port/obs" init >"$T/out" 2>"$T/err" && fail "opened a store on no server"
grep -q "cannot reach the PostgreSQL server" "$T/err" || fail "message: $(cat "$T/err")"
grep -q "postgresql://ana@127.0.0.1:$port/obs" "$T/err" || fail "the message does not name the server: $(cat "$T/err")"
grep -q "s3cr3t-pw" "$T/err" "$T/out" && fail "the password was printed"
# a libpq keyword string, and $SOLIDATA_DB, are PostgreSQL addresses too
SOLIDATA_DB="host=127.0.0.1 port=$port dbname=obs user=ana password=s3cr3t-pw connect_timeout=5" \
    "$SOLIDATA" areas >"$T/out" 2>"$T/err" && fail "opened a store on no server"
grep -q "cannot reach the PostgreSQL server" "$T/err" || fail "message: $(cat "$T/err")"
grep -q "s3cr3t-pw" "$T/err" "$T/out" && fail "the password was printed"
# in French too
"$SOLIDATA" --lang fr --db "postgresql://ana:s3cr3t-pw@127.0.0.1:$port/obs" areas >"$T/out" 2>"$T/err" && fail "opened"
grep -q "serveur PostgreSQL" "$T/err" || fail "not in French: $(cat "$T/err")"
[ ! -e "$T/postgresql:" ] || fail "a folder named after the address was made"
