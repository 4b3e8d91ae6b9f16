#!/usr/bin/env bash
# The umbra executable creates its identity on first start (router.keys mode 0600), loads the
# same identity on the next start, writes a verifiable router.info, and exits 0 on SIGINT and
# SIGTERM. Without --port it picks a port at random once and keeps it on later starts.
#   usage: identity_persists.sh UMBRA_BINARY CHECK_I2PD_FILES_BINARY
set -euo pipefail
umbra=${1:?}; check=${2:?}
work=$(mktemp -d /tmp/umbra-identity.XXXXXX)
trap 'rm -rf "$work"' EXIT

start_stop() { # SIGNAL LOGFILE [ARGS...]
  "$umbra" --datadir "$work/d" --netid 99 --host 127.0.0.1 "${@:3}" >"$2" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q 'running;' "$2" && break; sleep 0.1; done
  kill -"$1" $pid
  local rc=0; wait $pid || rc=$?
  [ $rc = 0 ] || { echo "FAIL: umbra exited $rc after SIG$1"; cat "$2"; exit 1; }
}
start_stop INT "$work/first.log" --port 20123
grep -q 'created new router identity' "$work/first.log" || { echo "FAIL: no identity created"; cat "$work/first.log"; exit 1; }
[ "$(stat -c %a "$work/d/router.keys")" = 600 ] || { echo "FAIL: router.keys mode is not 0600"; exit 1; }
[ "$(stat -c %a "$work/d")" = 700 ] || { echo "FAIL: data dir mode is not 0700"; exit 1; }
sum1=$(sha256sum < "$work/d/router.keys")
id1=$(grep -o 'identity [A-Za-z0-9~=-]*' "$work/first.log")
start_stop TERM "$work/second.log" --port 20123
grep -q 'loaded router identity' "$work/second.log" || { echo "FAIL: identity not reloaded"; cat "$work/second.log"; exit 1; }
id2=$(grep -o 'identity [A-Za-z0-9~=-]*' "$work/second.log")
[ "$id1" = "$id2" ] || { echo "FAIL: identity changed: $id1 vs $id2"; exit 1; }
[ "$sum1" = "$(sha256sum < "$work/d/router.keys")" ] || { echo "FAIL: router.keys rewritten"; exit 1; }
cp "$work/d/router.info" "$work/umbra.info"
"$check" 99 "$work/umbra.info" "$work/d/router.keys"
# port 0 (the default): a random port, published, then reused (only 127.0.0.1 is bound).
rm -f "$work/d/router.info"
start_stop TERM "$work/third.log"
port=$(grep -oE 'chose port [0-9]+ at random' "$work/third.log" | awk '{print $3}')
[ -n "$port" ] && [ "$port" -ge 9111 ] && [ "$port" -le 30777 ] ||
  { echo "FAIL: no random port in 9111-30777"; cat "$work/third.log"; exit 1; }
start_stop TERM "$work/fourth.log"
grep -q "using port $port from the previous run" "$work/fourth.log" ||
  { echo "FAIL: port $port not reused"; cat "$work/fourth.log"; exit 1; }
echo "PASS: $id1 created once, reloaded, router.info verifies; random port $port kept"
