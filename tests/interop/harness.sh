# Sourced by the interop scripts that run umbra and i2pd 2.45.1 routers together. The caller
# sets `work` (a fresh temporary folder) and `umbra` (the binary) and runs inside a network
# namespace that has only loopback (enter_netns). Every router runs under the loguard shim
# (loguard.c): routers publish 198.18.0.K and bind 127.18.0.K, because i2pd 2.45.1 refuses peers
# on 127.x; the shim maps 198.18 <-> 127.18 and blocks anything that is not loopback.
# Routers are numbered K (1..254): i2pd routers live in $work/rK, umbra routers in $work/uK,
# NTCP2 port 20000+K, netId 99. No reseed URL, UPnP, NTP, SSU2.
. "$(dirname "${BASH_SOURCE[0]}")/i2pd_conf.sh"
harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pids=()

# enter_netns VAR SCRIPT ARGS...: re-executes SCRIPT in a new network namespace (once; VAR marks
# the second run). Exits 77 when i2pd, a C compiler, python3 or namespaces are missing.
enter_netns() {
  local var=$1 script=$2
  shift 2
  [ -n "${!var:-}" ] && return 0
  command -v i2pd >/dev/null || { echo "i2pd not installed: skipping"; exit 77; }
  command -v cc >/dev/null || { echo "no C compiler for the shim: skipping"; exit 77; }
  command -v python3 >/dev/null || { echo "python3 missing: skipping"; exit 77; }
  unshare --net true 2>/dev/null || { echo "cannot create a network namespace: skipping"; exit 77; }
  exec unshare --net env "$var=1" bash -c 'ip link set lo up && exec "$0" "$@"' "$script" "$@"
}

harness_cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}

build_shim() {
  cc -O2 -shared -fPIC -o "$work/loguard.so" "$harness_dir/loguard.c" -ldl ||
    fail "cannot build loguard.so"
}
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
show() { # FILE REGEX PREFIX [COUNT] [MARK]: the first matching lines, as evidence
  { after "$1" "$2" "${5:-0}" || true; } | head -n "${4:-2}" | cut -c1-200 | sed "s/^/  $3: /"
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
  i2pd_isolation_sections >> "$d/i2pd.conf"
}

start_i2pd() { # NAME: starts it under the shim; sets last_pid
  shim "$1" i2pd --conf="$work/$1/i2pd.conf" --datadir="$work/$1" >"$work/$1/stdout.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

# make_i2pd_identity NAME K FLOODFILL: writes the config, starts i2pd once so it creates its keys
# and router.info, stops it, and clears its netDb and log.
make_i2pd_identity() {
  local i
  write_i2pd_conf "$1" "$2" "$3"
  start_i2pd "$1"
  wait_log "$work/$1/i2pd.log" 'NTCP2: Start listening' 30 || fail "$1 did not start"
  for ((i = 0; i < 150; i++)); do [ -s "$work/$1/router.info" ] && break; sleep 0.2; done
  stop_pid "$last_pid"
  [ -s "$work/$1/router.info" ] || fail "$1 wrote no router.info"
  rm -rf "$work/$1/netDb" "$work/$1/i2pd.log"
  mkdir -p "$work/$1/netDb"
}

start_umbra() { # NAME K LOG [ARGS...]: starts umbra K under the shim; sets last_pid
  local name=$1 k=$2 log=$3
  shift 3
  mkdir -p "$work/$name"
  shim "$name" "$umbra" --datadir "$work/$name" --netid 99 --host "198.18.0.$k" \
    --address4 "127.18.0.$k" --port $((20000 + k)) --loglevel debug "$@" >"$log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
  wait_log "$log" 'running;' 20 || fail "umbra $name did not start"
}

seed() { # DIR RI...: puts the RouterInfo files into DIR/netDb as i2pd and umbra name them
  local d="$1" ri h
  shift
  for ri in "$@"; do
    h=$(ri_hash "$ri")
    mkdir -p "$d/netDb/r${h:0:1}"
    cp "$ri" "$d/netDb/r${h:0:1}/routerInfo-$h.dat"
  done
}

loguard_blocked() { cat "$work"/*/loguard.log 2>/dev/null | grep -c BLOCKED || true; }

# write_i2pd_tunnel_conf NAME K FLOODFILL HTTP_PORT LENGTH QUANTITY: write_i2pd_conf plus the web
# console on 127.0.0.1:HTTP_PORT (inside the namespace: loopback only; no strict Host check, so
# curl can ask for 127.0.0.1) and exploratory tunnels of LENGTH hops, QUANTITY each way.
write_i2pd_tunnel_conf() {
  local f="$work/$1/i2pd.conf"
  write_i2pd_conf "$1" "$2" "$3"
  python3 - "$f" "$4" <<'PY'
import sys
path, port = sys.argv[1], sys.argv[2]
text = open(path).read()
old = "[http]\nenabled = false\n"
assert old in text
text = text.replace(old, "[http]\nenabled = true\naddress = 127.0.0.1\nport = %s\n"
                    "strictheaders = false\n" % port)
open(path, "w").write(text)
PY
  cat >> "$f" <<CONF
[exploratory]
inbound.length = $5
inbound.quantity = $6
outbound.length = $5
outbound.quantity = $6
CONF
}

# i2pd_page PORT PAGE: a page of an i2pd web console (PAGE empty: the main page), as text.
i2pd_page() {
  curl -s --max-time 5 "http://127.0.0.1:$1/${2:+?page=$2}" || true
}
