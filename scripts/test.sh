#!/usr/bin/env bash
# `npm test`: every test there is, on a fresh machine or a prepared one.
#   1. set up (idempotent; installs Chromium for the browser tests)
#   2. build the wasm and dist/ (the browser tests also check the built site)
#   3. cargo test --workspace (raft-core's unit, conformance and simulation tests)
#   4. node --test test/node/ (the JS API against the built wasm)
#   5. Playwright in Debian's Chromium (test/browser/, test/dist/)
# A failing runner does not stop the others; the script fails at the end if any did.
# Ends with one line adding up all three runners: "total: N passed, N failed, N skipped".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT

step() { printf '\n=== %s ===\n' "$*"; }

step "setup"
bash scripts/setup.sh --browser

step "build"
bash scripts/build-wasm.sh
node scripts/make-dist.mjs

failed=()
run() { # run NAME COMMAND...: runs a test runner, logging its output for the summary
    local name="$1"
    shift
    if ! "$@" 2>&1 | tee "$log_dir/$name.log"; then
        failed+=("$name")
    fi
}

step "cargo test --workspace"
run cargo cargo test --workspace --no-fail-fast

step "node --test test/node/"
mapfile -t node_tests < <(find test/node -name '*.test.mjs' 2>/dev/null | sort)
if [ "${#node_tests[@]}" -gt 0 ]; then
    run node node --test --test-reporter=spec "${node_tests[@]}"
else
    echo "no Node tests yet"
fi

step "playwright (Debian Chromium)"
if find test/browser test/dist -name '*.spec.*' 2>/dev/null | grep -q .; then
    run playwright npx playwright test
else
    echo "no browser tests yet"
fi

[ "${#failed[@]}" -eq 0 ] || printf '\nFAILED runners: %s\n' "${failed[*]}"
# Add up what the three runners reported.
awk '
    /^test result: / {
        for (i = 1; i <= NF; i++) {
            if ($(i+1) ~ /^passed/) p += $i
            if ($(i+1) ~ /^failed/) f += $i
            if ($(i+1) ~ /^ignored/) s += $i
        }
    }
    /^ℹ (pass|fail|skipped|todo) [0-9]+$/ {
        if ($2 == "pass") p += $3; else if ($2 == "fail") f += $3; else s += $3
    }
    /^playwright: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
        p += $2; f += $4; s += $6
    }
    END { printf "\ntotal: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log_dir"/*.log
[ "${#failed[@]}" -eq 0 ] || exit 1
