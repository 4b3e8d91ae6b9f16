#!/usr/bin/env bash
# i2pd 2.45.1 builds its tunnels through umbra hops, in a private network (netId 99) inside a
# network namespace with only loopback (harness.sh explains the address shim):
#   r1 i2pd floodfill, r2 r3 i2pd routers, u1 umbra floodfill, u2 u3 umbra routers.
# Every router starts knowing every other one (no reseed). The i2pd routers build exploratory
# tunnels of 2 hops, 6 each way, so most of their tunnels go through umbra hops.
# Checks (with the log lines and console pages that prove them):
#  1. umbra accepts transit tunnels from i2pd in every role ("transit tunnel <id> accepted as").
#  2. The tunnels i2pd shows established on its console (?page=tunnels) run through umbra hops;
#     an inbound tunnel whose last hop is umbra matches umbra's "next <i2pd> tunnel <id>" with
#     i2pd's "<id>:me"; a tunnel umbra forwards into an i2pd transit tunnel matches that i2pd's
#     ?page=transit_tunnels.
#  3. umbra forwarded their data: per-tunnel counters at shutdown ("closed (shutdown): role,
#     messages, bytes"), and i2pd's tunnel tests passed (no tunnel through umbra "test failed").
#  4. i2pd's "Tunnel creation success rate" (main page) with umbra hops: at least 90%.
# And the other direction, umbra's own exploratory tunnels (tunnels/pool), 2 hops, 3 each way:
#  6. u4 starts knowing only u1-u3 and u5 only r1-r3, so their first tunnels are umbra-only and
#     i2pd-only; u1-u3 build mixed ones. Each kind passes its tunnel tests (a garlic-wrapped
#     DeliveryStatus out through one tunnel and back in through another), umbra's build success
#     is at least 90%, and netdb lookups go out through the tunnels and are answered.
#  5. Congestion caps: u3 restarted with a limit of 4 transit tunnels publishes cap D or E
#     (proposal 162) in a newly signed RouterInfo, which reaches floodfill r1.
#   usage: tunnels_mixed.sh UMBRA_BINARY        exit 77: i2pd, namespaces or a compiler missing
set -euo pipefail
umbra=$(realpath "${1:?usage: tunnels_mixed.sh UMBRA_BINARY}")
. "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
enter_netns UMBRA_TUNNELS_NETNS "${BASH_SOURCE[0]}" "$umbra"
command -v curl >/dev/null || { echo "curl missing: skipping"; exit 77; }

work=$(mktemp -d /tmp/umbra-tunnels-mixed.XXXXXX)
trap harness_cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$work"/u?.log; do [ -f "$f" ] && { echo "--- $f"; grep -E 'tunnels|error|warn' "$f" | tail -n 15; }; done
  for r in r1 r2 r3; do [ -f "$work/$r/i2pd.log" ] && { echo "--- $r"; grep -E 'Tunnel' "$work/$r/i2pd.log" | tail -n 12; }; done
  exit 1
}
build_shim
# One /16 for the whole test network: the /16 rule of our peer selection is off here.
umbra_args=(--bandwidth X --tunnels.restrictsubnet=false)

make_tunnel_identity() { # NAME K FLOODFILL
  write_i2pd_tunnel_conf "$1" "$2" "$3" $((7070 + $2)) 2 6
  start_i2pd "$1"
  wait_log "$work/$1/i2pd.log" 'NTCP2: Start listening' 30 || fail "$1 did not start"
  local i
  for ((i = 0; i < 150; i++)); do [ -s "$work/$1/router.info" ] && break; sleep 0.2; done
  stop_pid "$last_pid"
  [ -s "$work/$1/router.info" ] || fail "$1 wrote no router.info"
  rm -rf "$work/$1/netDb" "$work/$1/i2pd.log"
  mkdir -p "$work/$1/netDb"
}
make_tunnel_identity r1 1 true
make_tunnel_identity r2 2 false
make_tunnel_identity r3 3 false
for k in 1 2 3 4 5; do
  ff=--floodfill=false
  [ $k = 1 ] && ff=--floodfill
  start_umbra u$k $((100 + k)) "$work/u$k.first.log" $ff "${umbra_args[@]}"
  stop_umbra "$last_pid"
done
declare -A H
routers=(r1 r2 r3 u1 u2 u3 u4 u5)
for n in "${routers[@]}"; do
  H[$n]=$(ri_hash "$work/$n/router.info")
  printf '  %-3s %s\n' "$n" "${H[$n]}"
done
for n in "${routers[@]}"; do
  others=()
  for m in "${routers[@]}"; do [ "$m" != "$n" ] && others+=("$work/$m/router.info"); done
  seed "$work/$n" "${others[@]}"
done
# u4 knows only umbra routers, u5 only i2pd routers (everybody else knows both).
rm -rf "$work/u4/netDb" "$work/u5/netDb"
seed "$work/u4" "$work/u1/router.info" "$work/u2/router.info" "$work/u3/router.info"
seed "$work/u5" "$work/r1/router.info" "$work/r2/router.info" "$work/r3/router.info"

start_umbra u1 101 "$work/u1.log" --floodfill "${umbra_args[@]}"; U1=$last_pid
start_umbra u2 102 "$work/u2.log" "${umbra_args[@]}"; U2=$last_pid
start_umbra u3 103 "$work/u3.log" "${umbra_args[@]}"; U3=$last_pid
start_i2pd r1
start_i2pd r2
start_i2pd r3
t0=$SECONDS
# After the i2pd routers (u1-u3's dials to them at start are retried for a few seconds only).
start_umbra u4 104 "$work/u4.log" "${umbra_args[@]}"; U4=$last_pid
start_umbra u5 105 "$work/u5.log" "${umbra_args[@]}"; U5=$last_pid
for u in u1 u2 u3; do
  for r in r1 r2 r3; do
    wait_log "$work/$u.log" "established (inbound|outbound) session with ${H[$r]}" 60 ||
      fail "$u did not connect to $r"
  done
done
echo "  umbra connected to every i2pd router after $((SECONDS - t0)) s"

echo "1. umbra accepts transit tunnels from i2pd"
for u in u1 u2 u3; do
  wait_log "$work/$u.log" "transit tunnel [0-9]+ accepted as" 90 || fail "$u accepted no transit tunnel"
done
# i2pd rebuilds every few seconds and tests each tunnel about every 15 s: let it run 100 s.
while [ $((SECONDS - t0)) -lt 100 ]; do sleep 2; done
for u in u1 u2 u3; do
  show "$work/$u.log" "transit tunnel [0-9]+ accepted as" "$u" 1
  for role in participant "inbound gateway" "outbound endpoint"; do
    printf '  %s: %3s accepted as %s\n' "$u" "$(grep -c "accepted as $role" "$work/$u.log" || true)" "$role"
  done
done

echo "2. i2pd's consoles (?page=tunnels, ?page=transit_tunnels, main page)"
for k in 1 2 3; do
  i2pd_page $((7070 + k)) > "$work/r$k/main.html"
  i2pd_page $((7070 + k)) tunnels > "$work/r$k/tunnels.html"
  i2pd_page $((7070 + k)) transit_tunnels > "$work/r$k/transit.html"
  [ -s "$work/r$k/tunnels.html" ] || fail "r$k's web console did not answer"
done

declare -A tests_mark
for r in r1 r2 r3; do tests_mark[$r]=$(mark "$work/$r/i2pd.log"); done

echo "3. umbra stopped: per-tunnel counters"
for u in U1 U2 U3 U4 U5; do stop_umbra "${!u}"; done
for u in u1 u2 u3; do show "$work/$u.log" "closed \(shutdown\).*messages [1-9]" "$u" 1; done

args=()
for n in "${routers[@]}"; do args+=("$n=${H[$n]}"); done
python3 - "$work" "${args[@]}" <<'PY' || fail "the checks above"
import html, re, sys
work, names = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
umbra = [n for n in names if n.startswith("u")]
i2pd = [n for n in names if n.startswith("r")]
abbrev = {names[n][:4]: n for n in names}  # i2pd's console shows 4 base64 characters
by_hash = {h: n for n, h in names.items()}
accepted, closed = {}, {}
acc = re.compile(r"transit tunnel (\d+) accepted as (.+?) for (\S+), next (\S+) tunnel (\d+)")
cls = re.compile(r"transit tunnel (\d+) closed \((\w+)\): role (.+?), messages (\d+), bytes (\d+)")
for u in umbra:
    for line in open(f"{work}/{u}.log", errors="replace"):
        if m := acc.search(line):
            accepted[(u, int(m[1]))] = (m[2], by_hash.get(m[3], "?"), by_hash.get(m[4], "?"), int(m[5]))
        elif m := cls.search(line):
            closed[(u, int(m[1]))] = (int(m[4]), int(m[5]))

def text(path):
    t = open(path, errors="replace").read()
    t = re.sub(r"(?s)<head>.*?</head>", "", t)
    t = re.sub(r"<br>|</div>", "\n", t)
    return html.unescape(re.sub(r"<[^>]+>", "", t))

tunnels, transit_ids, rates = {}, {}, {}
for r in i2pd:
    rows = []
    for line in text(f"{work}/{r}/tunnels.html").splitlines():
        if ":me" not in line:
            continue
        hops = [abbrev.get(h, h) for h in re.findall(r"⇒ (\S{4}) ", line + " ")]
        state = re.search(r"(established|expiring|failed|declined|building|test failed)", line)
        me = int(re.search(r"(\d+):me", line)[1])
        rows.append((me, hops, state[1] if state else "?", line.strip().startswith("⇒")))
    tunnels[r] = rows
    transit_ids[r] = {int(m) for m in re.findall(r"^\s*(?:⇒ )?(\d+)", text(f"{work}/{r}/transit.html"), re.M)}
    m = re.search(r"Tunnel creation success rate:\s*(\d+)%", text(f"{work}/{r}/main.html"))
    rates[r] = int(m[1]) if m else -1

ok = True
def check(cond, what):
    global ok
    print(("  ok   " if cond else "  FAIL ") + what)
    ok &= bool(cond)

roles = {}
for (u, tid), (role, frm, nxt, ntid) in accepted.items():
    roles.setdefault(role, 0)
    roles[role] += 1
check(len(roles) == 3, f"umbra took all three roles for i2pd: {roles}")

through = [(r, t) for r in i2pd for t in tunnels[r] if any(h in umbra for h in t[1])]
est = [x for x in through if x[1][2] == "established"]
bad = [x for x in through if x[1][2] in ("failed", "test failed", "declined")]
print(f"  i2pd consoles: {sum(len(v) for v in tunnels.values())} tunnels, {len(through)} through umbra hops "
      f"({len(est)} established, {len(bad)} failed)")
for r, (me, hops, state, inbound) in through[:6]:
    path = " -> ".join(hops + [f"{me}:me ({r})"]) if inbound else " -> ".join([f"({r}) {me}:me"] + hops)
    print(f"    {r}: {path}  {state}")
check(len(est) >= 6, "at least 6 established i2pd tunnels run through umbra hops")
# i2pd marks both tunnels of a failed test pair failed, whichever lost the message; an i2pd-only
# network of the same shape shows several failed tests a minute, so allow a few here too.
for r, (me, hops, state, inbound) in bad:
    print(f"    {r}: {'inbound' if inbound else 'outbound'} {me} via {' -> '.join(hops)}: {state}")
check(len(bad) <= max(2, len(through) // 10), "at most 10% of i2pd's tunnels through umbra shown failed")

# Matching ids: umbra's "next <i2pd> tunnel <id>" is either that i2pd's inbound tunnel
# (<id>:me, umbra the last hop before the endpoint) or one of its transit tunnels.
me_ids = {r: {t[0]: t for t in tunnels[r]} for r in i2pd}
matched_me, matched_transit = [], []
for (u, tid), (role, frm, nxt, ntid) in accepted.items():
    if nxt in i2pd and role != "outbound endpoint":
        if ntid in me_ids[nxt] and me_ids[nxt][ntid][3]:
            hops = me_ids[nxt][ntid][1]
            if hops and hops[-1] == u:
                matched_me.append((u, tid, role, nxt, ntid, me_ids[nxt][ntid][2]))
        elif ntid in transit_ids[nxt]:
            matched_transit.append((u, tid, role, nxt, ntid))
for u, tid, role, nxt, ntid, state in matched_me[:4]:
    print(f"    {u} transit {tid} ({role}) -> {nxt} inbound tunnel {ntid}:me, {state} on {nxt}'s console")
for u, tid, role, nxt, ntid in matched_transit[:3]:
    print(f"    {u} transit {tid} ({role}) -> {nxt} transit tunnel {ntid} on {nxt}'s transit page")
check(len(matched_me) >= 2, f"{len(matched_me)} umbra tunnels match an i2pd inbound tunnel id")
check(len(matched_transit) >= 1, f"{len(matched_transit)} umbra tunnels feed a listed i2pd transit tunnel")

carried = [k for k, v in closed.items() if v[0] > 0]
msgs = sum(v[0] for v in closed.values())
byts = sum(v[1] for v in closed.values())
print(f"  umbra per-tunnel counters: {len(closed)} tunnels reported, {len(carried)} carried data; "
      f"{msgs} messages, {byts} bytes")
check(len(closed) == len(accepted), "every accepted transit tunnel reported its counters")
check(len(carried) >= len(accepted) * 0.8, "at least 80% of umbra's transit tunnels carried data")
matched_data = [m for m in matched_me if closed.get((m[0], m[1]), (0, 0))[0] > 0]
# A tunnel built just before the snapshot may not have carried its first test yet.
check(len(matched_data) >= 0.8 * len(matched_me),
      f"{len(matched_data)} of {len(matched_me)} matched inbound tunnels carried data through umbra")

# The console's rate, and the same from i2pd's log: tunnels created against builds that timed
# out or were declined (any hop's refusal), over the whole run.
built = lost = 0
for r in i2pd:
    log = open(f"{work}/{r}/i2pd.log", errors="replace").read()
    c = len(re.findall(r"(?:Inbound|Outbound) tunnel \d+ has been created", log))
    t = len(re.findall(r"Pending build request \d+ timeout", log))
    d = len(re.findall(r"Build response ret code=[1-9]", log))
    built, lost = built + c, lost + t + d
    print(f"  {r}: Tunnel creation success rate {rates[r]}% (log: {c} created, {t} timed out, "
          f"{d} hop refusals)")
mean = sum(rates.values()) / len(rates)
print(f"  all i2pd: {built} tunnels created, {lost} builds lost: {100 * built / max(1, built + lost):.1f}%")
check(mean >= 90 and min(rates.values()) >= 80,
      f"i2pd's tunnel creation success rate: mean {mean:.0f}% >= 90%, each >= 80%")
sys.exit(0 if ok else 1)
PY

echo "6. umbra's own tunnels: umbra-only, i2pd-only and mixed"
python3 - "$work" "${args[@]}" <<'PY' || fail "umbra's own tunnels"
import re, sys
work, names = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
short = {names[n][:6]: n for n in names}  # own_tunnels.cpp logs 6 base64 characters per hop
own = re.compile(r"own tunnel (inbound|outbound) (\S+) id (\d+): tests passed (\d+), failed (\d+)")
summary = re.compile(r"own tunnels: builds (\d+) started, (\d+) built \(\d+% of (\d+) finished\)"
                     r".*netdb lookups (\d+) through tunnels, (\d+) direct")
lookups = re.compile(r"our lookups (\d+) \(found (\d+), not found (\d+), timed out (\d+)\)")
kinds, built, finished, tunnelled, answered, timed_out = {}, 0, 0, 0, 0, 0
ok = True
def check(cond, what):
    global ok
    print(("  ok   " if cond else "  FAIL ") + what)
    ok &= bool(cond)
for u in sorted(n for n in names if n.startswith("u")):
    for line in open(f"{work}/{u}.log", errors="replace"):
        if m := own.search(line):
            hops = [short.get(h, "?") for h in m[2].split(">") if h != "us"]
            kind = ("umbra-only" if all(h.startswith("u") for h in hops) else
                    "i2pd-only" if all(h.startswith("r") for h in hops) else "mixed")
            kinds.setdefault(kind, []).append((u, m[1], ">".join(hops), int(m[4]), int(m[5])))
        elif m := summary.search(line):
            built += int(m[2]); finished += int(m[3]); tunnelled += int(m[4])
            print(f"  {u}: builds {m[1]} started, {m[2]} built of {m[3]} finished; "
                  f"lookups {m[4]} through tunnels, {m[5]} direct")
        elif m := lookups.search(line):
            answered += int(m[2]) + int(m[3]); timed_out += int(m[4])
for kind in ("umbra-only", "i2pd-only", "mixed"):
    rows = kinds.get(kind, [])
    tested = [r for r in rows if r[3] > 0]
    for u, d, hops, p, f in tested[:2]:
        print(f"    {u} {d} {hops}: tests passed {p}, failed {f}")
    # Hops are drawn at random, so one kind may come in one direction only; mixed tunnels,
    # the common kind, must show both.
    both = any(r[1] == "inbound" for r in tested) and any(r[1] == "outbound" for r in tested)
    check(both if kind == "mixed" else tested,
          f"{kind}: {len(tested)} of {len(rows)} tunnels passed tests"
          + (", inbound and outbound" if both else ""))
rate = 100 * built / finished if finished else 0
check(finished >= 15 and rate >= 90, f"umbra built {built} of {finished} tunnels ({rate:.0f}%)")
check(tunnelled >= 5, f"{tunnelled} netdb lookups went out through umbra's tunnels")
check(answered > 0 and timed_out <= answered // 4,
      f"lookups answered {answered}, timed out {timed_out}")
sys.exit(0 if ok else 1)
PY

echo "4. congestion caps (proposal 162): u3 restarted with limits.transittunnels 4"
m=$(mark "$work/r1/i2pd.log")
start_umbra u3 103 "$work/u3.caps.log" "${umbra_args[@]}" --limits.transittunnels 4; U3=$last_pid
# D from 3 of 4 tunnels, E at 4 of 4 (several builds can land between two one-second checks).
wait_log "$work/u3.caps.log" "congestion cap now [DE]" 60 || fail "u3 raised no congestion cap"
show "$work/u3.caps.log" "congestion cap now [DE]" u3 1
wait_log "$work/u3.caps.log" "republishing our RouterInfo \(caps [A-Za-z]*[DE]\)" 5 ||
  fail "u3 did not republish"
show "$work/u3.caps.log" "republishing our RouterInfo" u3 1
grep -aqE 'caps=.[A-Za-z]*[DE];' "$work/u3/router.info" || fail "u3's router.info has no D/E cap"
# r1 logs HH:MM:SS: the update must come at or after the second u3 changed its cap (the first
# RouterInfo of the restart reached r1 before).
cap_at=$(grep -m1 -oE "[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+ info tunnels: congestion cap now" "$work/u3.caps.log" | cut -c1-8)
updated_after() { after "$work/r1/i2pd.log" "RouterInfo updated: ${H[u3]}" "$m" | awk -v t="$cap_at" 'substr($0, 1, 8) >= t'; }
for ((i = 0; i < 150; i++)); do [ -n "$(updated_after)" ] && break; sleep 0.2; done
[ -n "$(updated_after)" ] || fail "floodfill r1 did not receive u3's new RouterInfo"
updated_after | head -n 1 | cut -c1-200 | sed 's/^/  i2pd r1: /'
stop_umbra "$U3"
show "$work/u3.caps.log" "tunnels: build requests" u3 1

echo "5. i2pd tunnel tests (until the console snapshot, while every umbra ran)"
for r in r1 r2 r3; do
  okn=$(head -n "${tests_mark[$r]}" "$work/$r/i2pd.log" | grep -c "Tunnels: Test of [0-9]* successful" || true)
  bad=$(head -n "${tests_mark[$r]}" "$work/$r/i2pd.log" | grep -c "Tunnels: Test of tunnel [0-9]* failed" || true)
  echo "  $r: $okn tunnel tests passed, $bad failed"
done
blocked=$(loguard_blocked)
echo "  loguard: $blocked blocked call(s); run time $((SECONDS - t0)) s"
[ "$blocked" = 0 ] || fail "a router tried to leave loopback"
echo "PASS: i2pd builds tunnels through umbra hops (every role), umbra relays their data"
