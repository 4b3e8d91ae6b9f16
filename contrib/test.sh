#!/usr/bin/env bash
# Sets up, builds and runs every umbra test suite; ends with CTest's summary.
#   contrib/test.sh          GCC build (warnings are errors), all suites incl. interop with i2pd
#   contrib/test.sh --asan   clang build with AddressSanitizer + UndefinedBehaviorSanitizer
# Idempotent: a second run reuses the build directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/contrib/deps.sh"
mode=${1:-gcc}
packages=("${UMBRA_BUILD_PACKAGES[@]}" i2pd curl python3 iproute2 openssl clang lld
  libclang-rt-14-dev)
umbra_install_packages "${packages[@]}"
case "$mode" in
  gcc|"")
    build="$root/build-test"
    args=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=g++ -DUMBRA_WERROR=ON) ;;
  --asan)
    build="$root/build-asan"
    args=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DUMBRA_WERROR=ON
          -DUMBRA_SANITIZE=ON)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ;;
  *) echo "usage: contrib/test.sh [--asan]" >&2; exit 2 ;;
esac
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja "${args[@]}"
fi
cmake --build "$build"
cd "$build"
ctest --output-on-failure --timeout 600 -j2
