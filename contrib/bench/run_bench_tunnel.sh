#!/usr/bin/env bash
# Builds umbra_bench_tunnel (Release), runs it, and prints beside its figures the
# `openssl speed -evp aes-256-cbc` figure at 1 KiB taken in the same run, then the targets of
# the tunnel benchmark (issue 5 "Benchmark") and whether they are met:
#   - transit forwarding MB/s per core >= 40% of single-thread AES-256-CBC at 1 KiB
#   - near-linear gain from 1 to 2 threads
#   - memory per transit tunnel <= 512 bytes besides queued data
# Nothing here fails on a missed target: it prints figures (ARCHITECTURE.md §7). No network.
#   contrib/bench/run_bench_tunnel.sh [--seconds S] [--tunnels N per thread]
#   UMBRA_BENCH_BUILD=dir  build directory (default: build-release in the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=2
tunnels=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) secs=${2:?}; shift 2 ;;
    --tunnels) tunnels=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--tunnels N]" >&2; exit 2 ;;
  esac
done
. "$root/contrib/bench/bench_common.sh"
bench_build umbra_bench_tunnel
json=$(mktemp)
trap 'rm -f "$json"' EXIT

bench_header
echo
echo "== umbra_bench_tunnel --seconds $secs --tunnels $tunnels"
"$build/contrib/bench/umbra_bench_tunnel" --json --seconds "$secs" --tunnels "$tunnels" >"$json"
figures() { bench_figures "$json"; }
value() { figures | awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }'; }
printf '%-52s %10s %10s %9s\n' "operation" "ns/msg" "msgs/s" "MB/s"
figures | awk -F'\t' '$4 + 0 > 0 { printf "%-52s %10.1f %10.0f %9.1f\n", $1, $3, 1e9 / $3, $4 }'
echo
figures | awk -F'\t' '$4 + 0 == 0 { printf "%-52s %10.1f\n", $1, $3 }'

echo
echo "== openssl speed -evp aes-256-cbc, 1 KiB, single thread, same run"
aes=$(openssl speed -mr -seconds "$secs" -bytes 1024 -evp aes-256-cbc 2>/dev/null |
  awk -F: '/^\+F:/ { print $4 }')
awk -v a="$aes" 'BEGIN { printf "%-52s %10.1f %10.0f %9.1f\n", "aes-256-cbc 1KiB", 1024e9 / a, a / 1024, a / 1e6 }'

echo
echo "== targets (per core = MB per CPU-second of the forwarding threads, as openssl counts)"
awk -v a="$aes" -v one="$(value 'transit forward, 1 thread (cpu)' 4)" \
  -v two="$(value 'transit forward, 2 threads (cpu)' 4)" \
  -v onew="$(value 'transit forward, 1 thread (wall)' 4)" \
  -v twow="$(value 'transit forward, 2 threads (wall)' 4)" \
  -v miss="$(value 'transit forward, 1 thread, all cache misses (cpu)' 4)" \
  -v mem="$(value 'memory per transit tunnel (heap B)' 3)" \
  -v pair="$(value 'keyed context pair in the cache (heap B)' 3)" \
  -v slots="$(value 'layer cache slots per shard' 3)" -v cores="$(nproc)" '
function verdict(ok) { return ok ? "MET" : "NOT MET" }
BEGIN {
  ref = a / 1e6
  printf "  forwarding per core: %.1f MB/s = %.1f%% of aes-256-cbc 1 KiB (%.1f MB/s), target 40%%: %s\n",
    one, 100 * one / ref, ref, verdict(one >= 0.4 * ref)
  printf "    CPU per MB: %.2f ms (1 thread), %.2f ms (2 threads); all cache misses: %.1f MB/s per core\n",
    1000 / one, 1000 / two, miss
  printf "  1 -> 2 threads: wall %.1f -> %.1f MB/s = %.2fx on %d cores (load above); per core %.1f -> %.1f MB/s\n",
    onew, twow, twow / onew, cores, one, two
  printf "    near-linear (>= 1.7x wall): %s\n", verdict(twow >= 1.7 * onew)
  printf "  memory per transit tunnel: %.0f B heap (keys, no OpenSSL context), target 512: %s\n",
    mem, verdict(mem <= 512)
  printf "    plus per shard: %d cached keyed context pairs x %.0f B = %.2f MiB (%.0f B per tunnel at 10000 tunnels per shard)\n",
    slots, pair, slots * pair / 1048576, slots * pair / 10000
}'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
