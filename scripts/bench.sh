#!/usr/bin/env bash
# `npm run bench`: the wasm simulator's throughput in Node, then the page's performance in
# headless Chromium (size, first draw, frame cost, idle frames) as users get it: the production
# build in dist/ (`node bench/page-perf.mjs` alone measures the development page, the
# repository's index.html). Figures go to README; what lies behind them to docs/performance.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh --browser
bash scripts/build-wasm.sh
node bench/wasm-sim.mjs "$@"
node scripts/make-dist.mjs
node bench/page-perf.mjs --dist
