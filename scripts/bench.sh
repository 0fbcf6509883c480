#!/usr/bin/env bash
# `npm run bench`: the wasm simulator's throughput in Node, then the page's performance in
# headless Chromium (size, first draw, frame cost, idle frames). Figures go to README.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh --browser
bash scripts/build-wasm.sh
node bench/wasm-sim.mjs "$@"
if [ -f bench/page-perf.mjs ]; then
    node bench/page-perf.mjs
fi
