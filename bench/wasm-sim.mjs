#!/usr/bin/env node
// Simulator throughput in wasm, in Node: the release build in www/pkg (scripts/build-wasm.sh).
// 5 nodes, steady client load (background key-value clients), 1% message loss; the same
// workload as raft-core's native benchmark, so the two figures compare.
//
//   node bench/wasm-sim.mjs [--seconds 600] [--clients 3] [--runs 3]
//
// Prints, with the safety checker on and off: events processed per wall-clock second and
// simulated seconds per wall-clock second (best of --runs runs, each a fresh cluster).

import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a, i, all) => (a.startsWith("--") ? [a.slice(2), all[i + 1]] : null))
    .filter(Boolean),
);
const simSeconds = Number(args.seconds ?? 600);
const clients = Number(args.clients ?? 3);
const runs = Number(args.runs ?? 3);

const pkg = new URL("../www/pkg/", import.meta.url);
const { default: init, Playground } = await import(new URL("raft_playground.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_playground_bg.wasm", pkg)) });

function once(checker, seed) {
  const pg = new Playground({ nodes: 5, seed, clients, lossRatio: 0.01, checker });
  const start = performance.now();
  let events = 0;
  // Advance in one-second slices, as a script would; the per-call cost is negligible.
  for (let s = 0; s < simSeconds; s++) events += pg.advance(1000);
  const wall = (performance.now() - start) / 1000;
  const stats = pg.stats();
  const violations = pg.violations().length;
  pg.free();
  return { wall, events, stats, violations };
}

function fmt(n) {
  return Math.round(n).toLocaleString("en-US");
}

console.log(
  `wasm in Node ${process.version}: 5 nodes, ${clients} clients, 1% loss, ${simSeconds} simulated s, best of ${runs}`,
);
for (const checker of [true, false]) {
  let best = null;
  for (let r = 0; r < runs; r++) {
    const result = once(checker, 1000 + r);
    if (!best || result.events / result.wall > best.events / best.wall) best = result;
  }
  const { wall, events, stats, violations } = best;
  console.log(
    `checker ${checker ? "on " : "off"}: ${fmt(events / wall)} events/s, ` +
      `${(simSeconds / wall).toFixed(1)} simulated s per wall s ` +
      `(${fmt(events)} events in ${wall.toFixed(2)} s; ${fmt(stats.clientOpsCompleted)} client ops, ` +
      `commit index ${stats.maxCommitIndex}, ${violations} violations)`,
  );
}
