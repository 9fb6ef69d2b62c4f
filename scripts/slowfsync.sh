#!/usr/bin/env bash
# Durability measurements for docs/operations.md: one fsync per edit
# against the group commit, with this machine's fsync and with every fsync
# slowed to SLOW_FSYNC_US (default 2000 µs, a slow disk) by
# ../shared/tools/slowfsync.c under LD_PRELOAD. Needs gcc.
#
#   scripts/slowfsync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=1
us="${SLOW_FSYNC_US:-2000}"
src="${REMBUK_SLOWFSYNC_C:-../shared/tools/slowfsync.c}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -shared -fPIC -O2 -o "$tmp/slowfsync.so" "$src" -ldl
go test -c -o "$tmp/store.test" ./store
echo "== store benchmarks, this machine's fsync"
(cd "$tmp" && ./store.test -test.run '^$' -test.bench Durability -test.benchtime 3s | grep Benchmark)
echo "== store benchmarks, fsync + ${us} µs"
(cd "$tmp" && LD_PRELOAD="$tmp/slowfsync.so" SLOW_FSYNC_US="$us" ./store.test -test.run '^$' -test.bench Durability -test.benchtime 3s | grep Benchmark)
echo "== the real binary (HTTP and WebSocket load), both fsyncs"
REMBUK_MEASURE=1 REMBUK_SLOWFSYNC_SO="$tmp/slowfsync.so" SLOW_FSYNC_US="$us" \
  go test ./crashtest -run TestThroughputSlowFsync -count=1 -v | grep -E 'edits/s|ok|FAIL'
