#!/usr/bin/env bash
# The network database in a mixed private network (netId 99) of i2pd 2.45.1 and umbra routers,
# inside a network namespace with only loopback (harness.sh explains the address shim):
#   r1 i2pd floodfill, r2 r3 i2pd routers, u1 u2 umbra floodfills, u3 umbra router that
#   publishes no address (so no router can connect to it and hand it its RouterInfo: whatever
#   u3 learns, it learns from its own lookups).
# Each starts with a netDb that holds only the routers listed here (no reseed):
#   u1: r1 u2   u2: r1 u1   r1: u1   r2: u1   r3: r1   u3: r1
# Checks (each with the log lines that prove it):
#  1. i2pd RouterInfos reach umbra floodfills and are flooded on: r2 publishes to u1 (the only
#     floodfill it knows); u1 stores it and floods it; u2 and r1 receive it from u1.
#  2. Lookup i2pd -> umbra: r2 explores through u1 and looks up the routers u1 names; u1
#     answers with the RouterInfo, which r2 then holds.
#  3. Lookup umbra -> i2pd and exploration alone: u3, which knows only r1, learns every router
#     of the network (r1 r2 r3 u1 u2) through its own exploration and lookups at floodfills.
#  4. u3 restarted keeps its netDb (loads them all from disk).
#   usage: netdb_mixed.sh UMBRA_BINARY        exit 77: i2pd, namespaces or a compiler missing
set -euo pipefail
umbra=$(realpath "${1:?usage: netdb_mixed.sh UMBRA_BINARY}")
. "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
enter_netns UMBRA_NETDB_NETNS "${BASH_SOURCE[0]}" "$umbra"

work=$(mktemp -d /tmp/umbra-netdb-mixed.XXXXXX)
trap harness_cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$work"/u*.log; do [ -f "$f" ] && { echo "--- $f"; grep -E 'netdb|error|warn' "$f" | tail -n 15; }; done
  for r in r1 r2 r3; do [ -f "$work/$r/i2pd.log" ] && { echo "--- $r"; grep -E 'NetDb' "$work/$r/i2pd.log" | tail -n 12; }; done
  exit 1
}
build_shim

# Identities: every router creates its keys and router.info once.
make_i2pd_identity r1 1 true
make_i2pd_identity r2 2 false
make_i2pd_identity r3 3 false
for k in 1 2 3; do
  ff=--floodfill=false
  [ $k != 3 ] && ff=--floodfill
  start_umbra u$k $((100 + k)) "$work/u$k.first.log" $ff
  stop_umbra "$last_pid"
done
declare -A H
for n in r1 r2 r3 u1 u2 u3; do
  H[$n]=$(ri_hash "$work/$n/router.info")
  printf '  %-3s %s\n' "$n" "${H[$n]}"
done

seed "$work/u1" "$work/r1/router.info" "$work/u2/router.info"
seed "$work/u2" "$work/r1/router.info" "$work/u1/router.info"
seed "$work/r1" "$work/u1/router.info"
seed "$work/r2" "$work/u1/router.info"
seed "$work/r3" "$work/r1/router.info"
seed "$work/u3" "$work/r1/router.info"

# Floodfills first, listening before anyone publishes to them.
start_i2pd r1
wait_log "$work/r1/i2pd.log" 'NTCP2: Start listening' 30 || fail "r1 did not start"
start_umbra u1 101 "$work/u1.log" --floodfill; U1=$last_pid
start_umbra u2 102 "$work/u2.log" --floodfill; U2=$last_pid
start_i2pd r2
start_i2pd r3
start_umbra u3 103 "$work/u3.log" --ntcp2.published=false; U3=$last_pid

echo "1. r2's RouterInfo reaches umbra floodfill u1 and is flooded on"
wait_log "$work/u1.log" "DatabaseStore of ${H[r2]} from ${H[r2]}: (stored|known).*flooded to [0-9]+ floodfills" 90 ||
  fail "r2 did not publish to u1, or u1 did not flood it"
show "$work/u1.log" "DatabaseStore of ${H[r2]} from ${H[r2]}" u1 1
wait_log "$work/u2.log" "DatabaseStore of ${H[r2]} from ${H[u1]}: stored" 30 ||
  fail "u2 did not receive r2's RouterInfo from u1"
show "$work/u2.log" "DatabaseStore of ${H[r2]} from ${H[u1]}" u2 1
wait_log "$work/r1/i2pd.log" "RouterInfo (added|updated): ${H[r2]}" 30 ||
  fail "r1 did not receive r2's RouterInfo"
show "$work/r1/i2pd.log" "RouterInfo (added|updated): ${H[r2]}" "i2pd r1" 1

echo "2. i2pd r2 looks up RouterInfos at umbra floodfill u1"
wait_log "$work/u1.log" "DatabaseLookup for [A-Za-z0-9~=-]+ from ${H[r2]}: answered with the entry" 120 ||
  fail "u1 answered no RouterInfo lookup of r2 with the entry"
key=$(grep -m1 -oE "DatabaseLookup for [A-Za-z0-9~=-]+ from ${H[r2]}: answered with the entry" "$work/u1.log" | awk '{print $3}')
show "$work/u1.log" "DatabaseLookup for $key from ${H[r2]}" u1 1
wait_log "$work/r2/i2pd.log" "RouterInfo (added|updated): $key" 30 || fail "r2 did not store $key"
show "$work/r2/i2pd.log" "RouterInfo (added|updated): $key" "i2pd r2" 1

echo "3. umbra u3, knowing only r1, learns every router by exploration"
for n in r2 r3 u1 u2; do
  wait_log "$work/u3.log" "DatabaseStore of ${H[$n]} from [A-Za-z0-9~=-]+: stored \(answer to our lookup\)" 180 ||
    fail "u3 did not learn $n by exploration"
  show "$work/u3.log" "DatabaseStore of ${H[$n]} from" "u3 ($n)" 1
done
from_i2pd=$(after "$work/u3.log" "DatabaseStore of .* from ${H[r1]}: stored \(answer to our lookup\)" | wc -l)
[ "$from_i2pd" -ge 1 ] || fail "u3 got no lookup answer from i2pd r1"
echo "  u3: $from_i2pd RouterInfo(s) received from i2pd r1 in answer to u3's lookups"
files=$(find "$work/u3/netDb" -name 'routerInfo-*.dat' | wc -l)
echo "  u3: $files RouterInfo files in its netDb"

echo "4. u3 restarted keeps its netDb"
stop_umbra "$U3"
start_umbra u3 103 "$work/u3.restart.log" --ntcp2.published=false; U3=$last_pid
wait_log "$work/u3.restart.log" "loaded [0-9]+ RouterInfos" 10 || fail "u3 did not load its netDb"
loaded=$(grep -oE "loaded [0-9]+ RouterInfos" "$work/u3.restart.log" | awk '{print $2}')
[ "$loaded" -ge 5 ] || fail "u3 loaded only $loaded RouterInfos after restart (expected >= 5)"
show "$work/u3.restart.log" "loaded [0-9]+ RouterInfos" u3 1
stop_umbra "$U3"

echo "5. shutdown summaries of the umbra floodfills (i2pd also builds tunnels through them)"
for n in u1 u2; do
  pid=U1; [ $n = u2 ] && pid=U2
  stop_umbra "${!pid}"
  show "$work/$n.log" "netdb: [0-9]+ routers known|tunnels: build requests|garlic: [0-9]+ Garlic" "$n" 3
done

blocked=$(loguard_blocked)
echo "  loguard: $blocked blocked call(s)"
[ "$blocked" = 0 ] || fail "a router tried to leave loopback"
echo "PASS: mixed netdb: flooding through umbra floodfills, lookups i2pd->umbra and umbra->i2pd,"
echo "      exploration from one floodfill, netDb kept across a restart"
