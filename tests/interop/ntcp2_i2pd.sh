#!/usr/bin/env bash
# NTCP2 between umbra and real i2pd 2.45.1, both directions, in a private network (netId 99).
# Everything runs inside a fresh network namespace that has only loopback, and every router runs
# under the loguard shim (loguard.c beside this file): routers publish 198.18.0.K and bind
# 127.18.0.K, because i2pd 2.45.1 refuses peers on 127.x; the shim maps 198.18 <-> 127.18 and
# blocks anything that is not loopback. Routers: r1 = i2pd floodfill, r2 = i2pd, umbra = K 100
# (floodfill, so i2pd routers publish their RouterInfo to it). No reseed, UPnP, NTP, SSU2.
#  A. i2pd dials umbra: umbra logs the inbound session and i2pd's RouterInfo (message 3); i2pd
#     logs umbra's DateTime block; r1 publishes its RouterInfo to umbra with a reply token and umbra's
#     DeliveryStatus confirms it (i2pd: "NetDb: Publishing confirmed").
#  B. umbra (restarted with --ntcp2.peer r1) dials r1: outbound session, DatabaseStore of umbra's
#     RouterInfo answered by r1's DeliveryStatus, r1 logs "NetDb: RouterInfo updated: <umbra>".
#   usage: ntcp2_i2pd.sh UMBRA_BINARY        exit 77: i2pd, namespaces or a compiler missing
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/i2pd_conf.sh"
umbra=$(realpath "${1:?usage: ntcp2_i2pd.sh UMBRA_BINARY}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${UMBRA_NTCP2_NETNS:-}" ]; then
  command -v i2pd >/dev/null || { echo "i2pd not installed: skipping"; exit 77; }
  command -v cc >/dev/null || { echo "no C compiler for the shim: skipping"; exit 77; }
  command -v python3 >/dev/null || { echo "python3 missing: skipping"; exit 77; }
  unshare --net true 2>/dev/null || { echo "cannot create a network namespace: skipping"; exit 77; }
  exec unshare --net env UMBRA_NTCP2_NETNS=1 bash -c 'ip link set lo up && exec "$0" "$@"' \
    "${BASH_SOURCE[0]}" "$umbra"
fi

work=$(mktemp -d /tmp/umbra-ntcp2-i2pd.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; show_logs; exit 1; }
show_logs() {
  for f in "$work"/umbra*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 25 "$f"; }; done
  for r in r1 r2; do [ -f "$work/$r/i2pd.log" ] && { echo "--- $r"; grep -E 'NTCP2|NetDb' "$work/$r/i2pd.log" | tail -n 15; }; done
  cat "$work"/*/loguard.log 2>/dev/null | head -n 5 || true
}

cc -O2 -shared -fPIC -o "$work/loguard.so" "$here/loguard.c" -ldl || fail "cannot build loguard.so"
# Run in the background as `shim NAME CMD... &`: exec keeps $! the router's own PID.
shim() { LD_PRELOAD="$work/loguard.so" LOGUARD_LOG="$work/$1/loguard.log" exec "${@:2}"; }

# Log checks look at lines after a mark (a line count), so each phase proves its own events.
mark() { wc -l < "$1" 2>/dev/null || echo 0; }
after() { tail -n +"$(( ${3:-0} + 1 ))" "$1" 2>/dev/null | grep -E "$2"; }
wait_log() { # FILE REGEX SECONDS [MARK]: waits until REGEX appears in FILE after MARK
  local i
  for ((i = 0; i < $3 * 5; i++)); do after "$1" "$2" "${4:-0}" >/dev/null && return 0; sleep 0.2; done
  return 1
}

stop_pid() { # PID: SIGTERM, then wait (at most 20 s) for it to exit
  local i
  kill -TERM "$1" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$1" 2>/dev/null && kill -KILL "$1"
  wait "$1" 2>/dev/null || true
}

stop_umbra() { # PID: SIGTERM; umbra must exit 0 (under ASan/UBSan any report makes it fail)
  kill -TERM "$1"
  local rc=0
  wait "$1" || rc=$?
  [ $rc = 0 ] || fail "umbra exited $rc"
}

ri_hash() { # ROUTER_INFO_FILE: I2P base64 of SHA-256(RouterIdentity)
  python3 - "$1" <<'PY'
import base64, hashlib, sys
d = open(sys.argv[1], 'rb').read()
ident = d[:387 + int.from_bytes(d[385:387], 'big')]
print(base64.b64encode(hashlib.sha256(ident).digest(), altchars=b'-~').decode())
PY
}

write_i2pd_conf() { # NAME K FLOODFILL
  local d="$work/$1"
  mkdir -p "$d/netDb"
  : > "$d/tunnels.conf"
  cat > "$d/i2pd.conf" <<CONF
log = file
logfile = $d/i2pd.log
loglevel = debug
tunconf = $d/tunnels.conf
daemon = false
service = false
netid = 99
ipv4 = true
ipv6 = false
nat = false
host = 198.18.0.$2
address4 = 127.18.0.$2
port = $((20000 + $2))
reservedrange = false
floodfill = $3
bandwidth = X
[ntcp2]
enabled = true
published = true
[ssu2]
enabled = false
CONF
  i2pd_isolation_sections >> "$work/$1/i2pd.conf"
}

start_i2pd() { # NAME: starts it under the shim; sets last_pid
  shim "$1" i2pd --conf="$work/$1/i2pd.conf" --datadir="$work/$1" >"$work/$1/stdout.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

start_umbra() { # LOG [ARGS...]: starts umbra (K = 100, floodfill) under the shim; sets last_pid
  local log=$1
  shift
  mkdir -p "$work/u"
  shim u "$umbra" --datadir "$work/u" --netid 99 --host 198.18.0.100 --address4 127.18.0.100 \
    --port 20100 --floodfill --loglevel debug "$@" >"$log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
  wait_log "$log" 'running;' 20 || fail "umbra did not start"
}

seed() { # NAME RI...: puts the RouterInfo files into NAME's netDb as i2pd names them
  local d="$work/$1" ri h
  shift
  for ri in "$@"; do
    h=$(ri_hash "$ri")
    mkdir -p "$d/netDb/r${h:0:1}"
    cp "$ri" "$d/netDb/r${h:0:1}/routerInfo-$h.dat"
  done
}

# Phase 1: every router creates its keys and router.info once.
write_i2pd_conf r1 1 true
write_i2pd_conf r2 2 false
for r in r1 r2; do
  start_i2pd $r
  wait_log "$work/$r/i2pd.log" 'NTCP2: Start listening' 30 || fail "$r did not start"
  for ((i = 0; i < 150; i++)); do [ -s "$work/$r/router.info" ] && break; sleep 0.2; done
  stop_pid "$last_pid"
  [ -s "$work/$r/router.info" ] || fail "$r wrote no router.info"
done
start_umbra "$work/umbra0.log"
stop_umbra "$last_pid"
H1=$(ri_hash "$work/r1/router.info")
H2=$(ri_hash "$work/r2/router.info")
HU=$(ri_hash "$work/u/router.info")
echo "r1 (i2pd floodfill) $H1"
echo "r2 (i2pd)           $H2"
echo "umbra (floodfill)   $HU"
rm -rf "$work/r1/netDb" "$work/r2/netDb" "$work/r1/i2pd.log" "$work/r2/i2pd.log"
seed r1 "$work/r2/router.info" "$work/u/router.info"
seed r2 "$work/r1/router.info" "$work/u/router.info"


show() { # FILE REGEX PREFIX [COUNT] [MARK]: the first matching lines, as evidence
  after "$1" "$2" "${5:-0}" | head -n "${4:-2}" | cut -c1-200 | sed "s/^/  $3: /" || true
}

echo "A. i2pd dials umbra (umbra has no peers to dial)"
UA_LOG="$work/umbraA.log"
start_umbra "$UA_LOG"; UA=$last_pid
start_i2pd r1; P1=$last_pid
start_i2pd r2; P2=$last_pid
wait_log "$UA_LOG" "established inbound session with ($H1|$H2)" 60 ||
  fail "no i2pd router connected to umbra within 60 s"
peer=$(grep -m1 -oE "established inbound session with ($H1|$H2)" "$UA_LOG" | awk '{print $5}')
wait_log "$UA_LOG" "RouterInfo of $peer received" 30 || fail "no RouterInfo from $peer"
show "$UA_LOG" "established inbound session" umbra 3
show "$UA_LOG" "RouterInfo of $peer received" umbra
# r1 is a floodfill and publishes its own RouterInfo to the other floodfill, umbra, asking for
# a DeliveryStatus (reply tunnel 0); i2pd logs the token it chose and the confirmation.
wait_log "$UA_LOG" "answered DatabaseStore with DeliveryStatus [0-9]+ to $H1" 60 ||
  fail "r1 did not publish its RouterInfo to umbra within 60 s"
token=$(grep -m1 -oE "answered DatabaseStore with DeliveryStatus [0-9]+ to $H1" "$UA_LOG" | awk '{print $5}')
wait_log "$work/r1/i2pd.log" "NetDb: Publishing confirmed. reply token=$token" 30 ||
  fail "r1 did not accept umbra's DeliveryStatus $token"
show "$UA_LOG" "DatabaseStore of RouterInfo $H1|answered DatabaseStore with DeliveryStatus $token" umbra
show "$work/r1/i2pd.log" "Publishing our RouterInfo to|Publishing confirmed" "i2pd r1"
show "$work/r1/i2pd.log" "NTCP2: Connected to 198.18.0.100" "i2pd r1"
# i2pd 2.45.1 sends no DateTime block in the data phase of these sessions: DateTime goes only
# with a RouterInfo block, which it sends on its incoming sessions of later versions or after
# its own RouterInfo is updated (seen in this run: none in either direction). Report, not require.
if grep -qE "DateTime from ($H1|$H2)" "$UA_LOG"; then
  show "$UA_LOG" "DateTime from ($H1|$H2)" umbra
else
  echo "  umbra: no DateTime block from i2pd in this window (i2pd does not send one at session start)"
fi
stop_umbra "$UA"
grep -qE "session with .* ended: router shutdown" "$UA_LOG" || fail "umbra did not end its sessions"
echo "  umbra stopped: $(grep -cE 'ended: router shutdown' "$UA_LOG") session(s) ended with Termination (router shutdown)"

echo "B. umbra dials i2pd (restarted with --ntcp2.peer r1)"
UB_LOG="$work/umbraB.log"
R1=$(mark "$work/r1/i2pd.log")
start_umbra "$UB_LOG" --ntcp2.peer "$work/r1/router.info"; UB=$last_pid
wait_log "$UB_LOG" "established outbound session with $H1" 30 || fail "umbra could not connect to r1"
wait_log "$UB_LOG" "received DeliveryStatus [0-9]+ from $H1 \(confirms our DatabaseStore\)" 30 ||
  fail "r1 did not answer umbra's DatabaseStore"
wait_log "$work/r1/i2pd.log" "NetDb: RouterInfo (updated|added): $HU" 30 "$R1" ||
  fail "r1 did not store umbra's RouterInfo"
# umbra's first frame carries DateTime; i2pd logs each DateTime block it receives (its session
# with r2 is older and i2pd sends DateTime only with a periodic RouterInfo resend).
wait_log "$work/r1/i2pd.log" "NTCP2: Datetime" 10 "$R1" || fail "r1 logged no DateTime from umbra"
# ... and our Options block (ntcp2.rst "Options"), with no block error for either.
wait_log "$work/r1/i2pd.log" "NTCP2: Options" 10 "$R1" || fail "r1 logged no Options from umbra"
! after "$work/r1/i2pd.log" "NTCP2: (Unknown block type|Unexpected block length|Unexpected termination)" "$R1" ||
  fail "r1 logged a block error for umbra's frames"
show "$UB_LOG" "sent DatabaseStore|established outbound session with $H1|received DeliveryStatus" umbra 3
show "$work/r1/i2pd.log" "NTCP2: (SessionRequest|SessionConfirmed) received|NTCP2: (Datetime|Options)" "i2pd r1" 5 "$R1"
show "$work/r1/i2pd.log" "NetDb: RouterInfo (updated|added): $HU" "i2pd r1" 2 "$R1"
stop_umbra "$UB"
stop_pid "$P1"
stop_pid "$P2"
blocked=$(cat "$work"/*/loguard.log 2>/dev/null | grep -c BLOCKED || true)
echo "  loguard: $blocked blocked call(s)"
[ "$blocked" = 0 ] || fail "a router tried to leave loopback"
echo "PASS: NTCP2 both ways with i2pd 2.45.1: i2pd->umbra (session, i2pd's RouterInfo, i2pd's"
echo "      DatabaseStore confirmed by umbra's DeliveryStatus) and umbra->i2pd (session, DateTime,"
echo "      umbra's DatabaseStore answered by i2pd's DeliveryStatus, umbra's RouterInfo stored)"
