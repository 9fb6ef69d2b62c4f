#!/usr/bin/env bash
# lighthouse.sh — measures the page with Lighthouse (mobile, simulated
# throttling) against Debian's Chromium: performance and accessibility of
# the landing page, the join page and a participant's board (first visit
# and repeat visit), and the bytes transferred. The figures go in
# docs/performance.md ("The page on mobile data").
#
#   scripts/lighthouse.sh [OUT_DIR]        (default /tmp/rembuk-lighthouse)
#
# It builds the server, starts it on 127.0.0.1 with a fresh database,
# installs lighthouse 12.2.3 from npm into .tools/lighthouse once (Lighthouse
# 13 wants Node 22), and runs scripts/lighthouse.mjs, which creates a
# session, joins it as a participant in the browser and runs Lighthouse on
# each page. Needs chromium (CHROME_PATH, default /usr/bin/chromium) and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/rembuk-lighthouse}"
tools="$PWD/.tools/lighthouse"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

if [ ! -f "$tools/node_modules/lighthouse/package.json" ]; then
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error -E lighthouse@12.2.3
fi
cp scripts/lighthouse.mjs "$tools/run.mjs"

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
CGO_ENABLED=1 go build -o "$work/rembuk" .
"$work/rembuk" -addr 127.0.0.1:0 -db "$work/r.db" -log-level warn >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$work/out" 2>/dev/null && break
  sleep 0.1
done
base="$(sed -n 's/^rembuk listening on //p' "$work/out" | head -1)"
[ -n "$base" ] || { echo "the server did not start" >&2; cat "$work/err" >&2; exit 1; }
echo "server $base; reports in $out"
node "$tools/run.mjs" "$base" "$out"
