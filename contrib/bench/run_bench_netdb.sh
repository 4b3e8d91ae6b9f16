#!/usr/bin/env bash
# Builds umbra_bench_netdb (Release), runs it, and prints beside its figures the `openssl speed`
# Ed25519 verify figure taken in the same run: a RouterInfo store is bounded by one Ed25519
# verify, so stores/s over verifies/s says how much the rest (gunzip, parse, store) costs.
#   contrib/bench/run_bench_netdb.sh [--sizes 1000,10000,50000] [--lookups N]
#   UMBRA_BENCH_BUILD=dir  build directory (default: build-release in the repository)
# No network: everything runs in one process.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sizes=1000,10000,50000
lookups=2000
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=${2:?}; shift 2 ;;
    --lookups) lookups=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--sizes a,b,c] [--lookups N]" >&2; exit 2 ;;
  esac
done
. "$root/contrib/bench/bench_common.sh"
bench_build umbra_bench_netdb

bench_header
echo
echo "== umbra_bench_netdb --sizes $sizes --lookups $lookups (one thread)"
(cd "$root" && "$build/contrib/bench/umbra_bench_netdb" --sizes "$sizes" --lookups "$lookups")
echo
echo "== openssl speed ed25519 (one thread, same run)"
openssl speed -mr -seconds 2 ed25519 2>/dev/null |
  awk -F: '/^\+F6:/ { printf "%-20s %12.0f /s %10.1f us\n%-20s %12.0f /s %10.1f us\n",
    "ed25519 sign", $5, 1e6 / $5, "ed25519 verify", $6, 1e6 / $6 }'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
