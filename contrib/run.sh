#!/usr/bin/env bash
# Sets up, builds (Release) and runs the umbra router. Arguments go to umbra (see --help).
# Idempotent: a second run reuses the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/contrib/deps.sh"
umbra_install_packages "${UMBRA_BUILD_PACKAGES[@]}"
build="$root/build-release"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUMBRA_TESTS=OFF
fi
cmake --build "$build" --target umbra
exec "$build/router/app/umbra" "$@"
