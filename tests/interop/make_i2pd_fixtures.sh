#!/usr/bin/env bash
# Starts one real i2pd (Debian package) briefly, isolated on loopback with private netid 99, no
# reseed, no peers, and copies out what it made: router.info, router.keys and destination key
# files of several signature types (server tunnels with signaturetype = 0, 1, 2, 3, 7, 11).
#   usage: make_i2pd_fixtures.sh OUTDIR [WORKDIR]
# FIXTURE_FLOODFILL=true makes a floodfill; FIXTURE_SSU2=false publishes NTCP2 only.
# Exit 77 when i2pd is not installed (CTest reports the test as skipped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/i2pd_conf.sh"
out=${1:?usage: make_i2pd_fixtures.sh OUTDIR [WORKDIR]}
work=${2:-$(mktemp -d /tmp/umbra-i2pd-fixtures.XXXXXX)}
command -v i2pd >/dev/null || { echo "i2pd not installed: skipping"; exit 77; }
mkdir -p "$out" "$work"
# Ports: a random base per run so parallel runs don't collide.
base=$(( 30000 + RANDOM % 20000 ))
cat > "$work/i2pd.conf" <<CONF
log = file
logfile = $work/i2pd.log
loglevel = info
pidfile = $work/i2pd.pid
tunconf = $work/tunnels.conf
tunnelsdir = $work/tunnels.d
daemon = false
service = false
netid = 99
ipv4 = true
ipv6 = false
nat = false
host = 198.18.0.77
address4 = 127.18.0.77
port = $base
reservedrange = false
floodfill = ${FIXTURE_FLOODFILL:-false}
bandwidth = X
[ntcp2]
enabled = true
published = true
port = $base
[ssu2]
enabled = ${FIXTURE_SSU2:-true}
published = true
port = $base
mtu4 = 1500
CONF
i2pd_isolation_sections >> "$work/i2pd.conf"
: > "$work/tunnels.conf"
sigtypes="0 1 2 3 7 11"
n=0
for t in $sigtypes; do
  n=$((n + 1))
  cat >> "$work/tunnels.conf" <<TUN
[dest$t]
type = server
host = 127.0.0.1
port = $((base + n))
keys = dest-sig$t.dat
signaturetype = $t
inbound.quantity = 1
outbound.quantity = 1
TUN
done
# Inside a fresh network namespace (only lo) when we may create one: i2pd cannot reach any
# address but loopback, whatever it tries.
isolate=()
if unshare --net true 2>/dev/null; then isolate=(unshare --net sh -c 'ip link set lo up; exec "$0" "$@"'); fi
"${isolate[@]}" i2pd --conf="$work/i2pd.conf" --datadir="$work" >"$work/stdout.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
ok=0
for _ in $(seq 1 100); do   # at most ~20 s
  if [ -s "$work/router.info" ] && [ -s "$work/router.keys" ]; then
    all=1
    for t in $sigtypes; do [ -s "$work/dest-sig$t.dat" ] || all=0; done
    if [ $all = 1 ]; then ok=1; break; fi
  fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.2
done
kill -TERM $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
trap - EXIT
if [ $ok != 1 ]; then
  echo "i2pd did not write its files; log: $work/i2pd.log" >&2
  tail -20 "$work/i2pd.log" >&2 || true
  exit 1
fi
# router.info is rewritten at shutdown with a fresh published date; take the final one.
cp "$work/router.info" "$work/router.keys" "$out/"
for t in $sigtypes; do cp "$work/dest-sig$t.dat" "$out/"; done
echo "i2pd $(i2pd --version 2>/dev/null | head -1 | awk '{print $3}') fixtures written to $out"
