#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: each step checks first and
# skips in well under a second when its tool is already there. The other scripts run it first;
# it also runs on its own (`npm run setup`).
#
#   scripts/setup.sh            build tools: wasm32 target, wasm-pack, wasm-bindgen-cli, npm deps
#   scripts/setup.sh --browser  also Debian's Chromium and ChromeDriver (for the browser tests)
#
# Everything comes from crates.io, the npm registry or Debian's packages; nothing downloads
# prebuilt binaries from anywhere else (wasm-pack's own downloader cannot work offline, so the
# CLI tools are built with `cargo install`).

set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
    local want_browser=0 arg
    for arg in "$@"; do
        case "$arg" in
            --browser) want_browser=1 ;;
            *) echo "setup: unknown argument $arg" >&2; return 2 ;;
        esac
    done

    local wasm_pack_version=0.15.1

    # 1. The wasm32 target.
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        echo "setup: adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi

    # 2. wasm-pack, at a pinned version.
    if ! wasm-pack --version 2>/dev/null | grep -q " $wasm_pack_version\$"; then
        echo "setup: installing wasm-pack $wasm_pack_version (cargo install, about 2 minutes)"
        cargo install wasm-pack --version "$wasm_pack_version"
    fi

    # 3. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock
    #    (web/Cargo.toml pins it with `=`). No --locked: the CLI's own lockfile names a crate
    #    version that the registry here does not have.
    local bindgen_version
    bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
    if [ -z "$bindgen_version" ]; then
        echo "setup: wasm-bindgen is not in Cargo.lock; resolving the workspace"
        (cd "$ROOT" && cargo generate-lockfile)
        bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
    fi
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
        echo "setup: installing wasm-bindgen-cli $bindgen_version (cargo install, about 2 minutes)"
        cargo install wasm-bindgen-cli --version "$bindgen_version"
    fi

    # 4. Node dev dependencies (Playwright's test runner, binaryen's wasm-opt). Playwright
    #    must not download a browser: the tests use Debian's Chromium.
    if [ ! -f "$ROOT/node_modules/.package-lock.json" ] ||
        [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
        echo "setup: npm ci"
        (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    fi

    # 5. The browser, for tests only.
    if [ "$want_browser" = 1 ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
        echo "setup: installing Debian's chromium and chromium-driver"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            chromium chromium-driver
    fi
}

main "$@"
echo "setup: ok"
