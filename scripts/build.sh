#!/usr/bin/env bash
# `npm run build`: the wasm, then a self-contained dist/ that any static host serves as it is:
# index.html and www/ bundled and minified by esbuild (one module for the first view, lazy
# chunks, <raft-playground>'s element.js, pkg/), plus dist/raft-playground.html, one file with
# everything inlined that also opens from disk (file://). See scripts/make-dist.mjs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/make-dist.mjs
