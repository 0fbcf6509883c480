#!/usr/bin/env bash
# `npm start`: set up (idempotent), build what users get (the wasm, only if its sources
# changed since the last build; then dist/, bundled and minified, well under a second), and
# serve dist/ on 127.0.0.1.
#   PORT=9000 npm start    to choose the port (default 8080)
# For work on www/ itself, `node scripts/serve.mjs` serves the repository root instead: the
# page as developed, plain ES modules, no build step but the wasm.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh

# The wasm is out of date if anything it is built from is newer than it.
wasm="www/pkg/raft_playground_bg.wasm"
if [ ! -f "$wasm" ] || [ ! -f www/pkg/raft_playground.js ] ||
    [ -n "$(find Cargo.toml Cargo.lock web raft-core/Cargo.toml raft-core/src scripts/build-wasm.sh \
        -newer "$wasm" -type f -print -quit 2>/dev/null)" ]; then
    bash scripts/build-wasm.sh
else
    echo "start: $wasm is up to date"
fi
node scripts/make-dist.mjs
exec node scripts/serve.mjs --dir dist --port "${PORT:-8080}"
