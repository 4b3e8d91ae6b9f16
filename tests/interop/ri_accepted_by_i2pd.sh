#!/usr/bin/env bash
# A RouterInfo made by umbra is accepted by a real i2pd (netId 99; i2pd runs in a network
# namespace that has only loopback, so it cannot reach any other address). Two routes:
#  A. netDb folder: i2pd loads netDb/r<C>/routerInfo-<hash>.dat at start ("NetDb: 1 routers
#     loaded") and the file is still there after a clean shutdown. i2pd's loader parses the RI
#     and checks netId and addresses but not the signature; negative control: an umbra RI made
#     for netId 98 must be refused and deleted.
#  B. zip reseed (reseed.zipfile): i2pd parses with signature verification ("NetDb: RouterInfo
#     added: <hash>"); negative control: the same file with one flipped signature bit must fail
#     ("Signature verification failed").
#   usage: ri_accepted_by_i2pd.sh UMBRA_BINARY
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/i2pd_conf.sh"
umbra=${1:?usage: ri_accepted_by_i2pd.sh UMBRA_BINARY}
command -v i2pd >/dev/null || { echo "i2pd not installed: skipping"; exit 77; }
unshare --net true 2>/dev/null || { echo "cannot create a network namespace: skipping"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing: skipping"; exit 77; }
work=$(mktemp -d /tmp/umbra-ri-i2pd.XXXXXX)
trap 'rm -rf "$work"' EXIT

make_ri() { # DIR NETID: umbra creates its identity and router.info, then stops on SIGTERM
  "$umbra" --datadir "$1" --netid "$2" --host 198.18.0.88 --port 20088 --loglevel warn &
  local pid=$!
  for _ in $(seq 1 100); do [ -s "$1/router.info" ] && break; sleep 0.1; done
  kill -TERM $pid; wait $pid
  [ -s "$1/router.info" ] || { echo "FAIL: umbra wrote no router.info"; exit 1; }
}

ri_name() { # I2P base64 of SHA-256(RouterIdentity): the netDb file name of a RouterInfo
  python3 - "$1" <<'PY'
import base64, hashlib, sys
d = open(sys.argv[1], 'rb').read()
ident = d[:387 + int.from_bytes(d[385:387], 'big')]
print(base64.b64encode(hashlib.sha256(ident).digest(), altchars=b'-~').decode())
PY
}

write_conf() { # DIR [ZIPFILE]
  : > "$1/tunnels.conf"
  cat > "$1/i2pd.conf" <<CONF
log = file
logfile = $1/i2pd.log
loglevel = debug
tunconf = $1/tunnels.conf
daemon = false
netid = 99
ipv6 = false
nat = false
host = 198.18.0.77
address4 = 127.18.0.77
port = $((30000 + RANDOM % 20000))
reservedrange = false
CONF
  i2pd_isolation_sections "${2:-}" >> "$1/i2pd.conf"
}

run_i2pd() { # DIR PATTERN: runs i2pd until PATTERN shows in its log (at most 30 s), then stops it
  unshare --net sh -c 'ip link set lo up; exec "$0" "$@"' \
    i2pd --conf="$1/i2pd.conf" --datadir="$1" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do grep -qE "$2" "$1/i2pd.log" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  kill -TERM $pid; wait $pid || true
}

netdb_route() { # RI_FILE DIR: 0 if i2pd loaded and kept it
  local name; name=$(ri_name "$1")
  local f="$2/netDb/r${name:0:1}/routerInfo-$name.dat"
  mkdir -p "$(dirname "$f")"; cp "$1" "$f"; write_conf "$2"
  run_i2pd "$2" 'routers loaded'
  local loaded; loaded=$(grep -o 'NetDb: [0-9]* routers loaded' "$2/i2pd.log" || true)
  echo "  i2pd: ${loaded:-no load line}; file after shutdown: $([ -f "$f" ] && echo kept || echo deleted)"
  [ "$loaded" = "NetDb: 1 routers loaded" ] && [ -f "$f" ]
}

zip_route() { # RI_FILE DIR: 0 if i2pd verified and added it
  local name; name=$(ri_name "$1")
  mkdir -p "$2"
  python3 - "$1" "$2/reseed.zip" "routerInfo-$name.dat" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(sys.argv[3], open(sys.argv[1], 'rb').read())
PY
  write_conf "$2" "$2/reseed.zip"
  run_i2pd "$2" 'RouterInfo added|Signature verification failed|Reseed: .*failed'
  grep -E 'RouterInfo added|Signature verification failed' "$2/i2pd.log" | sed 's/^/  i2pd: /' || true
  grep -q "NetDb: RouterInfo added: $name" "$2/i2pd.log"
}

make_ri "$work/umbra99" 99
make_ri "$work/umbra98" 98
python3 - "$work/umbra99/router.info" "$work/flipped.info" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-1] ^= 1   # last byte: inside the signature
open(sys.argv[2], 'wb').write(d)
PY

fail() {
  echo "FAIL: $*"
  for log in "$work"/*/i2pd.log; do echo "--- last lines of $log"; tail -n 15 "$log"; done
  exit 1
}
echo "A. netDb folder, umbra RouterInfo (netId 99):"
netdb_route "$work/umbra99/router.info" "$work/a-good" || fail "i2pd did not keep umbra's RouterInfo"
echo "A. netDb folder, negative control (netId 98):"
! netdb_route "$work/umbra98/router.info" "$work/a-bad" || fail "i2pd kept a netId-98 RouterInfo"
echo "B. zip reseed, umbra RouterInfo:"
zip_route "$work/umbra99/router.info" "$work/b-good" || fail "i2pd did not verify and add umbra's RouterInfo"
echo "B. zip reseed, negative control (flipped signature bit):"
! zip_route "$work/flipped.info" "$work/b-bad" || fail "i2pd accepted a broken signature"
grep -q 'Signature verification failed' "$work/b-bad/i2pd.log" || fail "i2pd did not report the bad signature"
echo "PASS: i2pd loads, keeps and signature-verifies umbra's RouterInfo and refuses both controls"
