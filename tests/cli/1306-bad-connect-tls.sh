# A provider whose certificate is not trusted (self-signed, made here with openssl): refused,
# nothing written. Plain http to a remote host is refused too.
. "$TOP/tests/cli/connect_lib.sh"
command -v openssl >/dev/null || fail "openssl is needed (scripts/install-deps)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
    -subj "/CN=127.0.0.1" >/dev/null 2>&1
echo normal >"$T/mode"
python3 "$REPLAY" --port-file "$T/tport" --mode-file "$T/mode" --tls "$T/cert.pem" "$T/key.pem" 2>"$T/tls.err" &
TLS_PID=$!
at_exit 'kill $TLS_PID 2>/dev/null || true'
for _ in $(seq 1 100); do [ -s "$T/tport" ] && break; sleep 0.05; done
export SOLIDATA_PROVIDER_URL_ISTAT="https://127.0.0.1:$(cat "$T/tport")/SDMXWS/rest"
sol init; snapshot
sol connect add nidi --sdmx ISTAT/47_850 --key A.001001+001002.AUTP.ALL.ALL.1
expect_exit 1; expect_err "the secure connection to 127.0.0.1 failed \(TLS: .*\): its certificate cannot be trusted"
expect_unchanged
export SOLIDATA_PROVIDER_URL_ISTAT="http://192.0.2.1/SDMXWS/rest"
sol connect add nidi --sdmx ISTAT/47_850
expect_exit 1; expect_err "refusing http://192.0.2.1/.*: only https is used with a remote host"; expect_unchanged
