#!/usr/bin/env bash
# Builds umbra_bench_ntcp2 (Release), runs it, and prints beside its figures the `openssl speed`
# figures taken in the same run on the same machine (ChaCha20-Poly1305 at 16 KiB and 1 KiB,
# X25519), then the two targets of the NTCP2 performance issue and whether they are met:
#   - data phase >= 50% of the single-core ChaCha20-Poly1305 figure (16 KiB), per core and
#     direction: the engine at the session's 16 KiB frames, and each end of a real loopback
#     session by its own (user) CPU, the kernel's TCP printed beside
#   - handshakes/s per core >= 5,000, per side, with and without ephemeral keys prepared ahead
#     (then counting their refill)
# and, for information, the wall MB/s over loopback beside plain TCP of the same run, 1 KiB
# frames against the per-message EVP reference (crypto/aead_reference.h), and both handshake
# sides on one core.
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
  -v seal64="$(mbs_of 'dp seal 64KiB frame')" -v open64="$(mbs_of 'dp open 64KiB frame')" \
  -v seal1="$(mbs_of 'dp seal 1KiB frame')" -v open1="$(mbs_of 'dp open 1KiB frame')" \
  -v sealns1="$(ns_of 'dp seal 1KiB frame')" -v openns1="$(ns_of 'dp open 1KiB frame')" \
  -v evp1="$(ns_of 'evp aead one-shot 1KiB')" -v evpo1="$(ns_of 'evp aead one-shot open 1KiB')" \
  -v loop="$(mbs_of 'loopback i2np 1-4KiB msgs')" -v cpumb="$(ns_of 'loopback cpu per MB')" \
  -v loopu="$(ns_of 'loopback user cpu/MB')" -v loops="$(ns_of 'loopback system cpu/MB')" \
  -v loop2="$(mbs_of 'loopback 2 threads i2np 1-4KiB msgs')" \
  -v au="$(ns_of 'loopback 2 threads sender user cpu/MB')" \
  -v as="$(ns_of 'loopback 2 threads sender system cpu/MB')" \
  -v bu="$(ns_of 'loopback 2 threads receiver user cpu/MB')" \
  -v bs="$(ns_of 'loopback 2 threads receiver system cpu/MB')" \
  -v making="$(ns_of 'loopback: bench msg making cpu/MB')" \
  -v tcp="$(mbs_of 'plain tcp 2 threads 64KiB writes')" \
  -v tcpas="$(ns_of 'plain tcp sender system cpu/MB')" -v tcpbs="$(ns_of 'plain tcp receiver system cpu/MB')" \
  -v ini="$(ns_of 'hs engine initiator side')" -v resp="$(ns_of 'hs engine responder side')" \
  -v respc="$(ns_of 'hs engine responder side, RI cached')" \
  -v pair="$(ns_of 'hs engine pair (both sides)')" -v lhs="$(ns_of 'hs loopback connect+hs+close')" \
  -v respk="$(ns_of 'hs engine responder side, keys ready')" \
  -v respck="$(ns_of 'hs engine responder side, RI cached, keys ready')" \
  -v respnk="$(ns_of 'hs engine responder side, keys ready, RI in netdb')" \
  -v inik="$(ns_of 'hs engine initiator side, RI cached, keys ready')" \
  -v refill="$(ns_of 'hs ephemeral key refill, RI cached, keys ready')" '
function verdict(ok) { return ok ? "MET" : "NOT MET" }
function pct(name, mbs, ref, what) {
  printf "  %-46s %7.0f MB/s = %5.1f%% of %s  %s\n", name, mbs, 100 * mbs / ref, what, verdict(mbs >= ref / 2)
}
function info(name, mbs, ref, what) {
  printf "  %-46s %7.0f MB/s = %5.1f%% of %s\n", name, mbs, 100 * mbs / ref, what
}
function end(name, user, sys, extra) {
  printf "  %-46s %7.0f MB/s = %5.1f%% of 16KiB  %s  (user %.3f ms/MB%s; kernel TCP %.3f ms/MB beside)\n", name, 1e9 / user, 100 * 1e9 / user / ref16, verdict(1e9 / user >= ref16 / 2), user / 1e6, extra, sys / 1e6
}
function frame(name, ns, evp) {
  printf "  %-46s %7.1f ns = %5.1f%% of the EVP one-shot message (%.1f ns)\n", name, ns, 100 * evp / ns, evp
}
function rate(name, ns, note) {
  printf "  %-46s %7.0f /s  %-8s %s\n", name, 1e9 / ns, verdict(1e9 / ns >= 5000), note
}
function both(name, ns, note) {
  printf "  %-46s %7.0f /s  (%s)\n", name, 1e9 / ns, note
}
BEGIN {
  ref16 = c16 / 1e6; ref1 = c1 / 1e6
  printf "data phase >= 50%% of the single-core ChaCha20-Poly1305 limit (openssl speed, same run: %.0f MB/s\n", ref16
  printf "at 16 KiB). A loaded session coalesces I2NP blocks into frames of up to 16 KiB, so the per-core\n"
  printf "data phase is the engine at 16 KiB frames, one direction per core (as openssl speed):\n"
  pct("seal, 16 KiB frames (sender core)", seal16, ref16, "16KiB")
  pct("open, 16 KiB frames (receiver core)", open16, ref16, "16KiB")
  pct("seal, 65519-byte frames", seal64, ref16, "16KiB")
  pct("open, 65519-byte frames", open64, ref16, "16KiB")
  printf "the same over loopback sockets, real sessions, each end its own thread: I2NP payload per CPU\n"
  printf "second of the end'\''s own work (user CPU: umbra, OpenSSL, libc, Asio; the sender'\''s includes the\n"
  printf "bench making its 1-4 KiB messages, %.3f ms/MB), the kernel'\''s TCP (system CPU) beside:\n", making / 1e6
  end("sender end", au, as, ", incl. message making")
  end("receiver end", bu, bs, "")
  printf "for information (not the target: the kernel'\''s TCP is in them):\n"
  info("wall, 2 threads, 1-4 KiB I2NP", loop2, tcp, "plain TCP")
  printf "  %-46s %7.0f MB/s, kernel %.3f + %.3f ms/MB (same run, no NTCP2)\n", "plain TCP over loopback, 2 threads, 64 KiB", tcp, tcpas / 1e6, tcpbs / 1e6
  printf "  %-46s %7.0f MB/s, %.3f ms CPU/MB (user %.3f, kernel %.3f)\n", "both ends on one thread", loop, cpumb / 1e6, loopu / 1e6, loops / 1e6
  info("seal, 1 KiB frames (a lightly loaded session)", seal1, ref1, "1KiB ")
  info("open, 1 KiB frames", open1, ref1, "1KiB ")
  frame("  seal, 1 KiB frame", sealns1, evp1)
  frame("  open, 1 KiB frame (vs EVP one-shot open)", openns1, evpo1)
  printf "handshakes >= 5000/s per core, each side on its own router'\''s core (x25519 dh %.0f/s in openssl\n", x
  printf "speed; a side does 1 keygen + 3 DH, so X25519 alone bounds a side at %.0f/s):\n", x / 4
  rate("initiator", ini, "")
  rate("responder, RouterInfo never seen", resp, "(its Ed25519 signature verified)")
  rate("responder, RouterInfo seen before", respc, "(a reconnecting peer)")
  printf "  with ephemeral keys prepared when idle (EphemeralKeys; a pair costs %.0f us):\n", refill / 1e3
  rate("responder, RouterInfo never seen", respk, "(handshake path)")
  rate("  same, counting the refill", respk + refill, "")
  rate("responder, RouterInfo seen before", respck, "(handshake path)")
  rate("  same, counting the refill", respck + refill, "")
  rate("responder, RouterInfo in our netdb", respnk, "(first handshake; netdb verified it)")
  rate("  same, counting the refill", respnk + refill, "")
  rate("initiator", inik, "(handshake path)")
  rate("  same, counting the refill", inik + refill, "")
  printf "  for information, both sides on one core (compare with 2500/s):\n"
  both("engine, both sides", pair, "in memory")
  both("loopback connect+handshake+close", lhs, "both sides, sockets, RouterInfo blocks")
}'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
