#!/usr/bin/env bash
# `npm run build`: the wasm, then a self-contained dist/ that any static host serves as it is
# (index.html, www/ with its modules, CSS and pkg/), plus dist/raft-playground.html, one file
# with everything inlined that also opens from disk (file://).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/make-dist.mjs
