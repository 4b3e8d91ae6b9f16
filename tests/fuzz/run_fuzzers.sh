#!/usr/bin/env bash
# Builds every libFuzzer target (clang, -DUMBRA_FUZZ=ON, in build-fuzz/ at the repo root) and runs
# each for SECONDS over a copy of its corpus. Prints one line per target:
#   <target>: <N> execs in <S> s, crashes: <K>
# and exits non-zero if any target crashed or failed to build.
#
# usage: tests/fuzz/run_fuzzers.sh [SECONDS] [--merge] [TARGET...]
#   SECONDS   time per target (default 60)
#   --merge   afterwards, merge inputs that add coverage into tests/fuzz/corpus/<target>/
#             (without it the checked-in corpus is only read)
#   TARGET    run only these (e.g. base64 gzip); default: every *_fuzz target CMake knows
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build-fuzz"
duration=60
merge=0
only=()

for arg in "$@"; do
    case "$arg" in
    --merge) merge=1 ;;
    -h | --help)
        sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "unknown option: $arg" >&2
        exit 2
        ;;
    *[!0-9]*) only+=("${arg%_fuzz}") ;;
    *) duration=$arg ;;
    esac
done
if ((duration < 1)); then
    echo "SECONDS must be at least 1" >&2
    exit 2
fi

mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DUMBRA_FUZZ=ON -DUMBRA_TESTS=OFF >"$build/configure.log" 2>&1 ||
    {
        cat "$build/configure.log" >&2
        echo "configure failed" >&2
        exit 1
    }

# Targets are discovered from the build graph (every linked executable named *_fuzz), so ones
# added by other areas' fuzz/*.cmake run without editing this script.
declare -A binary=()
while read -r path; do
    name=${path##*/}
    binary[${name%_fuzz}]=$path
done < <(ninja -C "$build" -t targets all | sed -n 's/^\([^:]*_fuzz\): CXX_EXECUTABLE_LINKER.*/\1/p')
targets=()
if ((${#binary[@]} > 0)); then
    mapfile -t targets < <(printf '%s\n' "${!binary[@]}" | sort)
fi
if ((${#only[@]} > 0)); then
    targets=("${only[@]}")
fi
if ((${#targets[@]} == 0)); then
    echo "no fuzz targets found" >&2
    exit 1
fi

# UBSan only reports by default; halting turns undefined behaviour into a crash libFuzzer saves.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
for t in "${targets[@]}"; do
    if [[ -z "${binary[$t]:-}" ]]; then
        echo "$t: no such fuzz target"
        failed=1
        continue
    fi
    bin="$build/${binary[$t]}"
    if ! ninja -C "$build" "${binary[$t]}" >"$build/build-$t.log" 2>&1; then
        tail -n 30 "$build/build-$t.log" >&2
        echo "$t: build failed (see build-fuzz/build-$t.log)"
        failed=1
        continue
    fi
    work="$build/fuzz-run/$t"
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    seeds="$root/tests/fuzz/corpus/$t"
    if [[ -d "$seeds" ]]; then
        cp -R "$seeds/." "$work/corpus/"
    fi

    start=$(date +%s)
    rc=0
    # -max_total_time stops libFuzzer; timeout is the backstop if an input hangs in a way the
    # per-input -timeout does not catch.
    timeout -k 10 $((duration + 120)) "$bin" \
        -max_total_time="$duration" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 || rc=$?
    elapsed=$(($(date +%s) - start))

    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -n 1)
    crashes=$(find "$work/artifacts" -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    if ((rc != 0 && crashes == 0)); then
        crashes=1 # died without an artifact (killed by timeout, or a harness error)
    fi
    echo "$t: ${execs:-?} execs in $elapsed s, crashes: $crashes"

    if ((crashes > 0)); then
        failed=1
        echo "  log: $work/log (exit code $rc)" >&2
        find "$work/artifacts" -type f -printf '  artifact: %p\n' >&2
        grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/log" | sed 's/^/  /' >&2 ||
            true
    elif ((merge)); then
        mkdir -p "$seeds"
        before=$(find "$seeds" -type f | wc -l)
        "$bin" -merge=1 "$seeds" "$work/corpus" >"$work/merge.log" 2>&1
        echo "  merged $(($(find "$seeds" -type f | wc -l) - before)) new inputs into tests/fuzz/corpus/$t/"
    fi
done
exit "$failed"
