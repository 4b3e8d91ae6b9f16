#!/usr/bin/env bash
# Every C++ file matches .clang-format (clang-format 14, Debian 12's version: output differs
# between versions, so the check pins it).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format-14 >/dev/null || { echo "clang-format-14 missing" >&2; exit 1; }
bad=$(git ls-files '*.cpp' '*.h' | while read -r f; do
  clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
if [ -n "$bad" ]; then
  echo "not clang-formatted (run clang-format-14 -i on them):"; echo "$bad"; exit 1
fi
echo "format: $(git ls-files '*.cpp' '*.h' | wc -l) files clang-formatted"
