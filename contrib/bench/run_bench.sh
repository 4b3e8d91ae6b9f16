#!/usr/bin/env bash
# Builds umbra_bench (Release) and prints its figures beside `openssl speed` figures taken in the
# same run on the same machine, at 1 KiB where sizes apply.
#   contrib/bench/run_bench.sh [--seconds S]     (S: time per measurement, default 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=1
[ "${1:-}" = "--seconds" ] && secs=${2:?}
. "$root/contrib/bench/bench_common.sh"
bench_build umbra_bench
bench_header
echo
echo "== umbra_bench (single thread, ${secs}s per figure)"
(cd "$root" && "$build/contrib/bench/umbra_bench" --seconds "$secs")
echo
echo "== openssl speed (single thread, 1 KiB blocks, same run)"
printf '%-34s %12s %12s\n' "operation" "ns/op" "MB/s"
for alg in sha256 sha512 aes-256-cbc aes-256-ecb chacha20 chacha20-poly1305; do
  openssl speed -mr -seconds "$secs" -bytes 1024 -evp "$alg" 2>/dev/null |
    awk -F: -v a="$alg" '/^\+F:/ { bps=$4; printf "%-34s %12.1f %12.1f\n", a " 1KiB", 1024e9/bps, bps/1e6 }'
done
openssl speed -mr -seconds "$secs" ed25519 2>/dev/null |
  awk -F: '/^\+F6:/ { printf "%-34s %12.1f %12s\n%-34s %12.1f %12s\n", "ed25519 sign", 1e9/$5, "-", "ed25519 verify", 1e9/$6, "-" }'
openssl speed -mr -seconds "$secs" ecdhx25519 2>/dev/null |
  awk -F: '/^\+F5:/ { printf "%-34s %12.1f %12s\n", "x25519 dh", 1e9/$4, "-" }'
openssl speed -mr -seconds "$secs" rsa4096 2>/dev/null |
  awk -F: '/^\+F2:/ { printf "%-34s %12.1f %12s\n", "rsa4096 verify", 1e9/$5, "-" }'
