#!/usr/bin/env bash
# The umbra executable reseeds from local files and keeps its netDb on disk:
#  1. --reseed.zipfile (unsigned, --reseed.verify=false): every RouterInfo of the zip is stored
#     and written as netDb/r<C>/routerInfo-<B64>.dat (i2pd's layout);
#  2. a restart without the zip loads them again ("loaded N");
#  3. --reseed.file with the signed test su3: refused with a clear message while its signer's
#     certificate is missing, verified once it is in --reseed.certsdir.
# The zip holds three RouterInfos made by umbra now (netId 99) plus the i2pd fixtures that are
# still young enough to be accepted (72 hours), so the test does not depend on the fixtures' age.
#   usage: netdb_persists.sh UMBRA_BINARY
set -euo pipefail
umbra=${1:?}
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../fixtures"
work=$(mktemp -d /tmp/umbra-netdb.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && cat "$2"; exit 1; }

start_stop() { # LOGFILE DATADIR PORT [OPTIONS...]
  local log=$1 dir=$2 port=$3; shift 3
  "$umbra" --datadir "$dir" --netid 99 --host 127.0.0.1 --port "$port" "$@" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q 'running;' "$log" && break; sleep 0.1; done
  kill -TERM $pid
  local rc=0; wait $pid || rc=$?
  [ $rc = 0 ] || fail "umbra exited $rc" "$log"
}

# Three fresh RouterInfos of netId 99, made by umbra itself.
for i in 1 2 3; do
  start_stop "$work/make$i.log" "$work/peer$i" $((20140 + i))
  cp "$work/peer$i/router.info" "$work/umbra$i.info"
done
expected=$(python3 - "$work/bundle.zip" "$work"/umbra?.info "$fixtures"/i2pd/*.info <<'PY'
import struct, sys, time, zipfile
n = 0
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for i, path in enumerate(sys.argv[2:]):
        ri = open(path, "rb").read()
        off = 387 + struct.unpack(">H", ri[385:387])[0]
        age_h = (time.time() * 1000 - struct.unpack(">Q", ri[off:off + 8])[0]) / 3600e3
        if age_h > 70:  # would be refused as too old (or close to it)
            continue
        z.writestr("routerInfo-%d.dat" % i, ri)
        n += 1
print(n)
PY
)

d="$work/d"
start_stop "$work/first.log" "$d" 20131 --reseed.zipfile "$work/bundle.zip" --reseed.verify=false
grep -q 'netdb: loaded 0 RouterInfos (deleted 0 bad files)' "$work/first.log" \
  || fail "no load line on first start" "$work/first.log"
grep -q "reseed: $expected RouterInfos from $work/bundle.zip, $expected stored, 0 rejected" \
  "$work/first.log" || fail "reseed from the zip did not store $expected RouterInfos" "$work/first.log"
grep -q 'unsigned zip' "$work/first.log" || fail "no warning about the unsigned zip" "$work/first.log"
files=$(find "$d/netDb" -path "$d/netDb/r?/routerInfo-*.dat" | wc -l)
[ "$files" = "$expected" ] || fail "$files netDb files instead of $expected"
for i in 1 2 3; do # saved byte for byte as received
  saved=no
  for f in "$d"/netDb/r?/routerInfo-*.dat; do cmp -s "$f" "$work/umbra$i.info" && saved=yes; done
  [ $saved = yes ] || fail "RouterInfo $i not saved as received"
done

start_stop "$work/second.log" "$d" 20131
grep -q "netdb: loaded $expected RouterInfos (deleted 0 bad files)" "$work/second.log" \
  || fail "RouterInfos not reloaded" "$work/second.log"
grep -qE 'reseed: [0-9]+ RouterInfos from' "$work/second.log" && fail "reseeded without a reseed file" "$work/second.log"

# A zip with verification on: refused, with what to do.
start_stop "$work/verify.log" "$work/d2" 20132 --reseed.zipfile "$work/bundle.zip"
grep -q 'is a zip, which carries no signature.*reseed.verify=false' "$work/verify.log" \
  || fail "unsigned zip not refused with a hint" "$work/verify.log"

# The signed su3: its signer (make_test_su3.sh) is test-only@reseed.umbra.invalid.
su3="$fixtures/reseed/test-only-reseed.su3"
certs="$work/certs"
mkdir -p "$certs"
start_stop "$work/nocert.log" "$work/d3" 20133 --reseed.file "$su3" --reseed.certsdir "$certs"
grep -q "signed by 'test-only@reseed.umbra.invalid'.*test-only_at_reseed.umbra.invalid.crt" \
  "$work/nocert.log" || fail "unknown signer not reported with a hint" "$work/nocert.log"
cp "$fixtures/reseed/test-only-signer.crt.pem" "$certs/test-only_at_reseed.umbra.invalid.crt"
start_stop "$work/signed.log" "$work/d4" 20134 --reseed.file "$su3" --reseed.certsdir "$certs"
grep -q "su3 signature of $su3 verified (signer 'test-only@reseed.umbra.invalid')" \
  "$work/signed.log" || fail "su3 signature not verified" "$work/signed.log"
grep -q "reseed: 2 RouterInfos from $su3" "$work/signed.log" \
  || fail "su3 RouterInfos not read" "$work/signed.log"
echo "PASS: reseeded $expected RouterInfos from a zip, saved and reloaded them; su3 verified"
