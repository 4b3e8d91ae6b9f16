#!/usr/bin/env bash
# Two umbra processes on 127.0.0.1 (netId 99) talk NTCP2: B starts with --ntcp2.peer A's
# router.info, connects, sends a DatabaseStore of its RouterInfo with a reply token; A stores it
# and answers with a DeliveryStatus; on SIGTERM each session ends with a Termination block.
#   usage: ntcp2_umbra_pair.sh UMBRA_BINARY
set -euo pipefail
umbra=${1:?usage: ntcp2_umbra_pair.sh UMBRA_BINARY}
work=$(mktemp -d /tmp/umbra-ntcp2-pair.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$work"/a.log "$work"/b.log; exit 1; }
wait_log() { # FILE REGEX SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
start() { # NAME PORT [ARGS...]
  local name=$1 port=$2
  shift 2
  "$umbra" --datadir "$work/$name" --netid 99 --host 127.0.0.1 --port "$port" --loglevel debug \
    "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  wait_log "$work/$name.log" 'running;' 20 || fail "umbra $name did not start"
}
stop() { # PID LOG: SIGTERM, exit code 0 expected
  kill -TERM "$1"
  local rc=0
  wait "$1" || rc=$?
  [ $rc = 0 ] || fail "umbra exited $rc"
}

# Two free listening ports below the kernel's ephemeral range (32768-60999 by default): ports
# there can be taken at any moment by the outbound connections of tests running beside this one
# (seen: "cannot listen ... Address already in use"). Free now, checked with ss.
free() { ! ss -Htln "sport = :$1" | grep -q .; }
for ((i = 0; i < 50; i++)); do
  port=$((21000 + RANDOM % 10000))
  free "$port" && free "$((port + 1))" && break
done
start a "$port"
grep -q "cannot listen" "$work/a.log" && fail "port $port was taken after all"
A=${pids[-1]}
start b "$((port + 1))" --ntcp2.peer "$work/a/router.info"
B=${pids[-1]}
wait_log "$work/b.log" "established outbound session" 20 || fail "B did not connect to A"
wait_log "$work/a.log" "established inbound session" 20 || fail "A saw no inbound session"
wait_log "$work/a.log" "answered DatabaseStore with DeliveryStatus" 20 || fail "A did not answer"
wait_log "$work/b.log" "received DeliveryStatus .*confirms our DatabaseStore" 20 ||
  fail "B got no DeliveryStatus"
grep -E "established|DeliveryStatus|DateTime from" "$work/a.log" "$work/b.log" | cut -c1-200 |
  sed 's/^/  /'
stop "$B"
wait_log "$work/a.log" "ended: peer sent Termination \(reason 3\)" 20 ||
  fail "A did not see B's Termination (router shutdown)"
stop "$A"
echo "PASS: two umbra processes: handshake, DatabaseStore -> DeliveryStatus, Termination on stop"
