#!/usr/bin/env bash
# Reseeding over HTTPS with the umbra executable, against a local HTTPS server on 127.0.0.1
# (python3's http.server wrapped in TLS with the test CA's server certificate,
# tests/fixtures/reseed/make_test_tls.sh). The test builds a fresh su3 of three netId-99
# RouterInfos and signs it with the test-only reseed key (tests/fixtures/reseed/, TEST ONLY).
#  A. umbra with an empty netDb fetches it, verifies TLS and the su3 signature, stores the three
#     RouterInfos and keeps them on disk.
#  B. control: without the signer's certificate the su3 is refused with a message naming the
#     signer and the certificates folder; nothing is stored.
#  C. control: a server certificate for another host name is refused.
#   usage: reseed_https.sh UMBRA_BINARY      exit 77: python3 or openssl missing
set -euo pipefail
umbra=$(realpath "${1:?usage: reseed_https.sh UMBRA_BINARY}")
fixtures=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/reseed" && pwd)
command -v python3 >/dev/null || { echo "python3 missing: skipping"; exit 77; }
command -v openssl >/dev/null || { echo "openssl missing: skipping"; exit 77; }
work=$(mktemp -d /tmp/umbra-reseed-https.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.log; do echo "--- $f"; tail -n 15 "$f"; done; exit 1; }
wait_log() { # FILE REGEX SECONDS
  local i
  for ((i = 0; i < $3 * 5; i++)); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}
run_umbra() { # NAME LOG PORT [ARGS...]: runs umbra until it logs "running;", then stops it
  local name=$1 log=$2 port=$3
  shift 3
  "$umbra" --datadir "$work/$name" --netid 99 --host 127.0.0.1 --port "$port" \
    --loglevel debug "$@" >"$log" 2>&1 &
  local pid=$!
  wait_log "$log" 'running;' 20 || { kill "$pid"; fail "umbra $name did not start"; }
  last_pid=$pid
}
stop_umbra() { kill -TERM "$1"; local rc=0; wait "$1" || rc=$?; [ $rc = 0 ] || fail "umbra exited $rc"; }

# Three fresh netId-99 RouterInfos.
for k in 1 2 3; do
  run_umbra "ri$k" "$work/ri$k.log" $((20300 + k))
  stop_umbra "$last_pid"
done

# The su3 (updates.rst): zip of routerInfo-<hash>.dat, RSA-SHA512-4096 (sig type 6).
mkdir -p "$work/www"
python3 - "$work" <<'PY'
import base64, hashlib, io, struct, sys, zipfile
work = sys.argv[1]
signer = b"test-only@reseed.umbra.invalid"
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for k in (1, 2, 3):
        d = open(f"{work}/ri{k}/router.info", "rb").read()
        ident = d[:387 + int.from_bytes(d[385:387], "big")]
        h = base64.b64encode(hashlib.sha256(ident).digest(), altchars=b"-~").decode()
        z.writestr(f"routerInfo-{h}.dat", d)
data = buf.getvalue()
version = b"1790000000".ljust(16, b"\0")
header = (b"I2Psu3" + bytes([0, 0]) + struct.pack(">HH", 6, 512) +
          bytes([0, len(version), 0, len(signer)]) + struct.pack(">Q", len(data)) +
          bytes([0, 0, 0, 3]) + bytes(12))
open(f"{work}/unsigned.su3", "wb").write(header + version + signer + data)
PY
openssl dgst -sha512 -sign "$fixtures/test-only-signer.key.pem" -out "$work/su3.sig" "$work/unsigned.su3"
cat "$work/unsigned.su3" "$work/su3.sig" > "$work/www/i2pseeds.su3"

serve() { # CERT KEY PORT LOG: an HTTPS file server for $work/www on 127.0.0.1:PORT
  python3 - "$work/www" "$1" "$2" "$3" >"$4" 2>&1 <<'PY' &
import functools, http.server, ssl, sys
root, cert, key, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
httpd = http.server.HTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
httpd.timeout = 1
for _ in range(600):  # bounded: at most ~10 minutes
    httpd.handle_request()
PY
  pids+=("$!")
}
serve "$fixtures/test-only-tls-server.crt.pem" "$fixtures/test-only-tls-server.key.pem" 20443 "$work/server.log"
serve "$fixtures/test-only-tls-wronghost.crt.pem" "$fixtures/test-only-tls-wronghost.key.pem" 20444 "$work/server-wronghost.log"
sleep 1
mkdir -p "$work/certs" "$work/nocerts"
cp "$fixtures/test-only-signer.crt.pem" "$work/certs/test-only_at_reseed.umbra.invalid.crt"
common=(--reseed.threshold 3 --reseed.cafile "$fixtures/test-only-tls-ca.crt.pem")

echo "A. reseed from https://127.0.0.1:20443/"
run_umbra a "$work/a.log" 20310 "${common[@]}" --reseed.urls https://127.0.0.1:20443/ \
  --reseed.certsdir "$work/certs"
wait_log "$work/a.log" 'reseed: 3 routers from https://127.0.0.1:20443/' 30 || fail "no reseed"
stop_umbra "$last_pid"
grep -E 'reseed' "$work/a.log" | cut -c1-160 | sed 's/^/  umbra: /'
grep -qE 'GET /i2pseeds.su3\?netid=99' "$work/server.log" || fail "server saw no su3 request"
grep -E 'GET' "$work/server.log" | head -n 1 | sed 's/^/  server: /'
files=$(find "$work/a/netDb" -name 'routerInfo-*.dat' | wc -l)
[ "$files" = 3 ] || fail "expected 3 RouterInfo files in netDb, found $files"
echo "  netDb: $files RouterInfo files"

echo "B. control: the signer's certificate is missing"
run_umbra b "$work/b.log" 20311 "${common[@]}" --reseed.urls https://127.0.0.1:20443/ \
  --reseed.certsdir "$work/nocerts"
wait_log "$work/b.log" 'test-only@reseed.umbra.invalid' 30 || fail "no refusal naming the signer"
stop_umbra "$last_pid"
grep -m1 -E 'test-only@reseed.umbra.invalid' "$work/b.log" | cut -c1-200 | sed 's/^/  umbra: /'
[ -z "$(find "$work/b/netDb" -name 'routerInfo-*.dat' 2>/dev/null)" ] || fail "B stored RouterInfos"

echo "C. control: a certificate for another host name"
run_umbra c "$work/c.log" 20312 "${common[@]}" --reseed.urls https://127.0.0.1:20444/ \
  --reseed.certsdir "$work/certs"
wait_log "$work/c.log" 'reseed.*(host|name)' 30 || fail "no host name refusal"
stop_umbra "$last_pid"
grep -m1 -iE 'reseed.*(host|name)' "$work/c.log" | cut -c1-200 | sed 's/^/  umbra: /'
[ -z "$(find "$work/c/netDb" -name 'routerInfo-*.dat' 2>/dev/null)" ] || fail "C stored RouterInfos"
echo "PASS: HTTPS reseed from a local server; unknown signer and wrong host name refused"
