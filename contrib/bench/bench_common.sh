# Sourced by the run_bench_*.sh scripts: the Release build they share and the header of their
# output. The caller sets `root` (the repository) before sourcing.
#   UMBRA_BENCH_BUILD=dir  build directory (default: build-release in the repository)
build=${UMBRA_BENCH_BUILD:-$root/build-release}

# bench_build TARGET: configures the Release build once and builds TARGET in it.
bench_build() {
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUMBRA_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" --target "$1" >/dev/null
}

# bench_header: the machine, its load and the OpenSSL the reference figures come from.
bench_header() {
  echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== $(openssl version)"
}

# bench_figures JSON: one line per figure of a --json output,
# {"name": "...", "bytes": N, "ns_per_op": X, "mb_per_s": Y} -> name<TAB>bytes<TAB>ns<TAB>MB/s
bench_figures() {
  awk -F'"' '/"name"/ {
    name = $4; rest = $0; sub(/.*"bytes":/, "", rest); split(rest, a, /[:,}]/)
    printf "%s\t%s\t%s\t%s\n", name, a[1] + 0, a[3] + 0, a[5] + 0 }' "$1"
}
