#!/usr/bin/env bash
# Makes fresh files with the installed i2pd and checks them with umbra's parsers.
#   usage: fresh_i2pd_fixtures.sh CHECK_I2PD_FILES_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=${1:?usage: fresh_i2pd_fixtures.sh CHECK_BINARY}
out=$(mktemp -d /tmp/umbra-fresh-fixtures.XXXXXX)
trap 'rm -rf "$out"' EXIT
rc=0
"$here/make_i2pd_fixtures.sh" "$out/files" "$out/work" || rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || exit $rc
"$check" 99 "$out"/files/*
