#!/usr/bin/env bash
# Builds umbra_bench_ntcp2 (Release), runs it, and prints beside its figures the `openssl speed`
# figures taken in the same run on the same machine (ChaCha20-Poly1305 at 16 KiB and 1 KiB,
# X25519), then the two targets of the NTCP2 performance issue and whether they are met:
#   - data phase MB/s >= 50% of the single-core ChaCha20-Poly1305 figure (16 KiB)
#   - handshakes/s per core >= 5,000
# and the per-message AEAD reference of the same process (crypto/aead_reference.h: EVP
# init+update+final+tag per message, which is what a frame costs at best; `openssl speed`
# streams update calls only), the loopback CPU per MB (one thread; two threads, one per end),
# and handshake rates with ephemeral keys prepared ahead, per core with their refill.
# Nothing here fails on a missed target: it prints figures (ARCHITECTURE.md §7).
#   contrib/bench/run_bench_ntcp2.sh [--seconds S] [--megabytes M]
#   UMBRA_BENCH_BUILD=dir  build directory (default: build-release in the repository)
# Loopback parts use 127.0.0.1 only and are bounded in count and time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=1
mb=200
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) secs=${2:?}; shift 2 ;;
    --megabytes) mb=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--megabytes M]" >&2; exit 2 ;;
  esac
done
. "$root/contrib/bench/bench_common.sh"
bench_build umbra_bench_ntcp2
json=$(mktemp)
trap 'rm -f "$json"' EXIT

bench_header
echo
echo "== umbra_bench_ntcp2 --seconds $secs --megabytes $mb"
(cd "$root" && "$build/contrib/bench/umbra_bench_ntcp2" --json --seconds "$secs" --megabytes "$mb") >"$json"
# One figure per line: {"name": "...", "bytes": N, "ns_per_op": X, "mb_per_s": Y}
figures() { bench_figures "$json"; }
printf '%-34s %14s %12s %12s\n' "operation" "ns/op" "ops/s" "MB/s"
figures | awk -F'\t' '{
  if ($4 + 0 > 0) printf "%-34s %14.1f %12.1f %12.1f\n", $1, $3, 1e9 / $3, $4
  else printf "%-34s %14.1f %12.1f %12s\n", $1, $3, 1e9 / $3, "-" }'
ns_of() { figures | awk -F'\t' -v n="$1" '$1 == n { print $3 }'; }
mbs_of() { figures | awk -F'\t' -v n="$1" '$1 == n { print $4 }'; }

echo
echo "== openssl speed (single thread, same run)"
printf '%-34s %14s %12s %12s\n' "operation" "ns/op" "ops/s" "MB/s"
chacha() {
  openssl speed -mr -seconds "$secs" -bytes "$1" -evp chacha20-poly1305 2>/dev/null |
    awk -F: '/^\+F:/ { print $4 }'
}
c16=$(chacha 16384)
c1=$(chacha 1024)
x25519=$(openssl speed -mr -seconds "$secs" ecdhx25519 2>/dev/null | awk -F: '/^\+F5:/ { print $4 }')
awk -v c16="$c16" -v c1="$c1" -v x="$x25519" 'BEGIN {
  printf "%-34s %14.1f %12.1f %12.1f\n", "chacha20-poly1305 16KiB", 16384e9 / c16, c16 / 16384, c16 / 1e6
  printf "%-34s %14.1f %12.1f %12.1f\n", "chacha20-poly1305 1KiB", 1024e9 / c1, c1 / 1024, c1 / 1e6
  printf "%-34s %14.1f %12.1f %12s\n", "x25519 dh", 1e9 / x, x, "-" }'

echo
echo "== targets (figures above; one core = one thread)"
awk -v c16="$c16" -v c1="$c1" -v x="$x25519" \
  -v seal16="$(mbs_of 'dp seal 16KiB frame')" -v open16="$(mbs_of 'dp open 16KiB frame')" \
  -v both16="$(mbs_of 'dp seal+open 16KiB frame')" \
  -v seal1="$(mbs_of 'dp seal 1KiB frame')" -v open1="$(mbs_of 'dp open 1KiB frame')" \
  -v seal64="$(mbs_of 'dp seal 64KiB frame')" -v open64="$(mbs_of 'dp open 64KiB frame')" \
  -v loop="$(mbs_of 'loopback i2np 1-4KiB msgs')" \
  -v loop2="$(mbs_of 'loopback 2 threads i2np 1-4KiB msgs')" \
  -v cpumb="$(ns_of 'loopback cpu per MB')" -v cpumb2="$(ns_of 'loopback 2 threads cpu per MB')" \
  -v cpua="$(ns_of 'loopback 2 threads sender cpu/MB')" \
  -v making="$(ns_of 'loopback: bench msg making cpu/MB')" \
  -v cpub="$(ns_of 'loopback 2 threads receiver cpu/MB')" \
  -v sealns1="$(ns_of 'dp seal 1KiB frame')" -v openns1="$(ns_of 'dp open 1KiB frame')" \
  -v evp1="$(ns_of 'evp aead one-shot 1KiB')" -v evps1="$(ns_of 'evp aead stream 1KiB')" \
  -v evpo1="$(ns_of 'evp aead one-shot open 1KiB')" \
  -v sealns16="$(ns_of 'dp seal 16KiB frame')" -v evp16="$(ns_of 'evp aead one-shot 16KiB')" \
  -v pair="$(ns_of 'hs engine pair (both sides)')" -v ini="$(ns_of 'hs engine initiator side')" \
  -v resp="$(ns_of 'hs engine responder side')" \
  -v respc="$(ns_of 'hs engine responder side, RI cached')" \
  -v pairc="$(ns_of 'hs engine pair (both sides), RI cached')" -v lhs="$(ns_of 'hs loopback connect+hs+close')" \
  -v respk="$(ns_of 'hs engine responder side, keys ready')" \
  -v respck="$(ns_of 'hs engine responder side, RI cached, keys ready')" \
  -v inik="$(ns_of 'hs engine initiator side, RI cached, keys ready')" \
  -v refill="$(ns_of 'hs ephemeral key refill, RI cached, keys ready')" '
function verdict(ok) { return ok ? "MET" : "NOT MET" }
function pct(name, mbs, ref, what) {
  printf "  %-44s %8.1f MB/s = %5.1f%% of %s  %s\n", name, mbs, 100 * mbs / ref, what, verdict(mbs >= ref / 2)
}
function frame(name, ns, evp, stream) {
  if (stream > 0) printf "  %-44s %8.1f ns = %5.1f%% of the EVP one-shot speed (%.1f ns) [%.0f%% of %.1f ns]\n", name, ns, 100 * evp / ns, evp, 100 * stream / ns, stream
  else printf "  %-44s %8.1f ns = %5.1f%% of the EVP one-shot speed (%.1f ns)\n", name, ns, 100 * evp / ns, evp
}
function cpu(name, ns) {
  printf "  %-44s %8.3f ms  %s\n", name, ns / 1e6, verdict(ns / 1e6 <= 1.1)
}
function rate(name, ns, note) {
  printf "  %-44s %8.0f /s  %-8s %s\n", name, 1e9 / ns, verdict(1e9 / ns >= 5000), note
}
BEGIN {
  ref16 = c16 / 1e6; ref1 = c1 / 1e6
  printf "data phase: I2NP payload MB/s >= 50%% of openssl chacha20-poly1305 (%.0f MB/s at 16 KiB, %.0f at 1 KiB)\n", ref16, ref1
  printf "  per direction (one AEAD pass per frame, like openssl speed):\n"
  pct("engine seal, 16 KiB frames (sender core)", seal16, ref16, "16KiB")
  pct("engine open, 16 KiB frames (receiver core)", open16, ref16, "16KiB")
  pct("engine seal, 1 KiB frames", seal1, ref1, "1KiB ")
  pct("engine open, 1 KiB frames", open1, ref1, "1KiB ")
  pct("engine seal, 65519-byte frames", seal64, ref16, "16KiB")
  pct("engine open, 65519-byte frames", open64, ref16, "16KiB")
  printf "  both ends on one core (two AEAD passes per frame: 50%% is the ceiling):\n"
  pct("engine seal+open, 16 KiB frames", both16, ref16, "16KiB")
  pct("loopback, real sockets, 1-4 KiB I2NP", loop, ref16, "16KiB")
  printf "  two threads (each end its own io_context and core; 100%% is the ceiling):\n"
  pct("loopback 2 threads, 1-4 KiB I2NP", loop2, ref16 * 2, "2x16KiB")
  printf "per frame against the per-message AEAD of the same run (EVP init+update+final+tag,\n"
  printf "  crypto/aead_reference.h; streaming update only in brackets, as openssl speed):\n"
  frame("engine seal, 1 KiB frame", sealns1, evp1, evps1)
  frame("engine open, 1 KiB frame (vs EVP open)", openns1, evpo1, evps1)
  frame("engine seal, 16 KiB frame", sealns16, evp16, 0)
  printf "loopback CPU per MB of I2NP payload, both ends together <= ~1.1 ms:\n"
  cpu("one thread (both ends)", cpumb)
  cpu("two threads (process)", cpumb2)
  printf "  %-44s %8.3f + %.3f ms (sender + receiver thread)\n", "two threads, per end", cpua / 1e6, cpub / 1e6
  printf "  %-44s %8.3f ms (included above: the sender making its messages)\n", "bench message making", making / 1e6
  printf "handshakes per second per core >= 5000 (x25519 dh: %.0f/s in openssl speed; each side\n", x
  printf "  does 1 keygen + 3 DH, so one side is bounded by %.0f/s, both sides on one core by %.0f/s):\n", x / 4, x / 8
  rate("engine, initiator side only", ini, "")
  rate("engine, responder side only", resp, "(the peer RouterInfo verified each time)")
  rate("engine, responder side, RouterInfo cached", respc, "(a reconnecting peer: no Ed25519 verify)")
  rate("engine, both sides on one core", pair, "")
  rate("engine, both sides, RouterInfo cached", pairc, "")
  rate("loopback connect+handshake+close, one core", lhs, "(both sides, sockets, RouterInfo blocks)")
  printf "  with ephemeral keys prepared ahead (EphemeralKeys; the refill, %.0f us a pair, runs when idle):\n", refill / 1e3
  rate("engine, responder, keys ready (handshake path)", respk, "(RouterInfo verified each time)")
  rate("  same, per core with its refill", respk + refill, "")
  rate("engine, responder, RI cached, keys ready", respck, "(handshake path)")
  rate("  same, per core with its refill", respck + refill, "")
  rate("engine, initiator, keys ready (handshake path)", inik, "")
  rate("  same, per core with its refill", inik + refill, "")
}'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
