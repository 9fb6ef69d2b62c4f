#!/usr/bin/env bash
# Long crash run: the real binary under load from 20 clients, killed with
# SIGKILL at random moments and restarted on the same database, CYCLES
# times (default 100); after every kill each acknowledged note must be on
# the board exactly once, seq without gaps, integrity_check ok.
#
#   scripts/crash.sh [CYCLES]
#
# SLOW=1 also slows every fsync of the server by SLOW_FSYNC_US (default
# 2000 µs) with ../shared/tools/slowfsync.c, so more kills land while a
# commit is being made durable (needs gcc).
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=1
cycles="${1:-100}"
if [ "${SLOW:-0}" = "1" ]; then
  src="${REMBUK_SLOWFSYNC_C:-../shared/tools/slowfsync.c}"
  so="$(mktemp -d)/slowfsync.so"
  gcc -shared -fPIC -O2 -o "$so" "$src" -ldl
  export REMBUK_CRASH_SLOWFSYNC_SO="$so" SLOW_FSYNC_US="${SLOW_FSYNC_US:-2000}"
  echo "fsync slowed by ${SLOW_FSYNC_US} µs"
fi
REMBUK_CRASH_CYCLES="$cycles" go test ./crashtest -run 'TestCrashKill9UnderLoad' -count=1 -v -timeout 60m
