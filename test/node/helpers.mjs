// Loads the built wasm (www/pkg, from scripts/build-wasm.sh) into Node once per test file.
import { readFile } from "node:fs/promises";

const pkg = new URL("../../www/pkg/", import.meta.url);

let module;

/** The wasm-bindgen module, instantiated: `{ Playground, ... }`. */
export async function load() {
  if (!module) {
    module = await import(new URL("raft_playground.js", pkg));
    const bytes = await readFile(new URL("raft_playground_bg.wasm", pkg));
    await module.default({ module_or_path: bytes });
  }
  return module;
}

/** Runs simulated time forward in steps until `predicate(state)` holds, or throws. */
export function advanceUntil(pg, predicate, { stepMs = 50, limitMs = 20_000, what = "condition" } = {}) {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    const state = pg.state();
    if (predicate(state)) return state;
    pg.advance(stepMs);
  }
  throw new Error(`${what} not reached within ${limitMs} ms of simulated time`);
}

/** The leader node of the highest term, or undefined. */
export function leaderOf(state) {
  return state.nodes.find((n) => n.id === state.leader);
}

/** A command's entry in a node's log, or undefined. */
export function entryOf(node, command) {
  return node.log.find((e) => e.command === command);
}
