# Sourced by the scripts in this folder: the repository root and the PATH they all use.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# npm's binaryen (wasm-opt) must come before any other wasm-opt on PATH: wasm-pack runs the
# first one it finds, and Debian's binaryen 108 produces modules that fail at load time.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
