#!/usr/bin/env bash
# Builds the wasm module and its JS glue into www/pkg/ (raft_playground.js,
# raft_playground_bg.wasm), optimised for size.
#
#   scripts/build-wasm.sh          release build: profile wasm-release, then wasm-opt -Oz
#                                  run to a fixed point, debug, producer and target-feature sections
#                                  stripped (the last only tells tools which features the code uses).
#                                  The module owns its memory (zero-filled at start) and Rust
#                                  puts the stack, then data, above 1 MiB, so wasm-opt may assume
#                                  both: that folds address arithmetic into loads and stores.
#   scripts/build-wasm.sh --dev    debug build (quick, large, with debug assertions)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

mode=release
[ "${1:-}" = "--dev" ] && mode=dev

if [ "$mode" = dev ]; then
    wasm-pack --log-level warn build web --target web --out-dir ../www/pkg --dev --no-pack
else
    # The wasm-release profile (workspace Cargo.toml) is release plus opt-level "z", LTO and
    # one codegen unit. wasm-opt runs below, from npm's binaryen, rather than inside wasm-pack.
    wasm-pack --log-level warn build web --target web --out-dir ../www/pkg \
        --profile wasm-release --no-opt --no-pack
    wasm="www/pkg/raft_playground_bg.wasm"
    before=$(wc -c < "$wasm")
    # --one-caller-inline-max-function-size=30: wasm-opt otherwise inlines every function
    # with one caller, however large, into it (each export's body into wasm-bindgen's shims,
    # the simulator's steps into 5-10 KB functions). That saves 3 KB of raw wasm but costs
    # 3.5 KB gzipped: code in a huge function, with many locals, compresses far worse.
    # 30 was the best of the sizes measured (0 to 2000).
    wasm-opt -Oz --converge --one-caller-inline-max-function-size=30 \
        --strip-debug --strip-producers --strip-target-features \
        --low-memory-unused --zero-filled-memory \
        --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
    after=$(wc -c < "$wasm")
    gz=$(gzip -9c "$wasm" | wc -c)
    echo "build-wasm: $wasm $before -> $after bytes ($gz gzipped)"
fi
