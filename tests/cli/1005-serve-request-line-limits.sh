# Hostile request lines and headers are answered at once: ~950 query arguments (which used to
# hang the connection for the idle timeout with no answer) get 414, and two Content-Length
# headers that disagree get 400 (a request smuggling vector), both well within a second.
with_regions
serve
q=$(awk 'BEGIN { for (i = 0; i < 950; i++) printf "%sa%d=1", (i ? "&" : ""), i }')
start=$(date +%s%N)
code=$(curl -s -m 5 -o "$T/out" -w '%{http_code}' "$URL/api/areas?$q")
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" = 414 ] || fail "950 query arguments answered $code after $ms ms"
[ "$ms" -lt 2000 ] || fail "950 query arguments took $ms ms"
# a few arguments are fine
get "/api/areas?level=region&a=1&b=2"; expect_code 200
python3 - "$(cat "$T/port")" >"$T/out" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n")
try:
    print(s.recv(64).split(b"\r\n")[0].decode())
except socket.timeout:
    print("no answer")
PY
expect_out '^HTTP/1.1 400'
stop_server
