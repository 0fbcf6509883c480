#!/usr/bin/env node
// Simulator throughput in wasm, in Node: the release build in www/pkg (scripts/build-wasm.sh).
// The same cases as raft-core's native benchmark (`cargo bench -p raft-core --bench sim`), so
// the figures compare: 5 nodes, 1% loss, 20-40 ms latency, 5 key-value clients, snapshots
// every 500 entries, seed 7, one `advance` over the whole run, median of 5 runs.
//
//   node bench/wasm-sim.mjs [simulated seconds, default 120]
//
// Rates are per CPU second of this process (on a shared machine wall time measures the
// neighbours too), with the wall-clock rate beside them.

import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

const simulatedS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 120);
const repeats = 5;

const pkg = new URL("../www/pkg/", import.meta.url);
const { default: init, Playground } = await import(new URL("raft_playground.js", pkg));
await init({ module_or_path: await readFile(new URL("raft_playground_bg.wasm", pkg)) });

const cases = [
  { name: "checker on,  no trace  ", checker: true, traceCapacity: 0, clients: 5 },
  { name: "checker off, no trace  ", checker: false, traceCapacity: 0, clients: 5 },
  { name: "checker on,  trace 2000", checker: true, traceCapacity: 2000, clients: 5 },
  { name: "idle cluster, checker on", checker: true, traceCapacity: 0, clients: 0 },
];

function run(c) {
  const pg = new Playground({
    nodes: 5,
    seed: 7,
    lossRatio: 0.01,
    latencyMs: [20, 40],
    clients: c.clients,
    snapshotThreshold: 500,
    checker: c.checker,
    traceCapacity: c.traceCapacity,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events = pg.advance(simulatedS * 1000);
  const wall = (performance.now() - t0) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const stats = pg.stats();
  const violations = pg.violations().length;
  pg.free();
  return { events, wall, cpu, stats, violations };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `wasm in Node ${process.version}: 5 nodes, 1% loss, 20-40 ms latency, ${simulatedS} simulated s, median of ${repeats}`,
);
const rates = [];
for (const c of cases) {
  const results = Array.from({ length: repeats }, () => run(c));
  const cpuRate = median(results.map((r) => r.events / r.cpu));
  const wallRate = median(results.map((r) => r.events / r.wall));
  const { events, stats, violations } = results[results.length - 1];
  rates.push(cpuRate);
  console.log(
    `${c.name}: ${(cpuRate / 1e6).toFixed(2)} M events/CPU-s (${(wallRate / 1e6).toFixed(2)} M/wall-s), ` +
      `${((cpuRate / events) * simulatedS).toFixed(0)} simulated s per CPU-s  ` +
      `(${events} events, ${stats.clientOpsCompleted} client ops, ${stats.maxCommitIndex} commits, ${violations} violations)`,
  );
}
console.log(`checker cost: ${(rates[1] / rates[0]).toFixed(2)}x (events per CPU-s, off / on)`);
