#!/usr/bin/env bash
# `npm start`: set up (idempotent), build the wasm, and serve the page on 127.0.0.1.
#   PORT=9000 npm start    to choose the port (default 8080)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build-wasm.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
