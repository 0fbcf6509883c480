// The readers (state, events, kv, options, stats) build JSON text in Rust and parse it in
// JS: strings must come back exactly as given, times exactly as us / 1000.
import test from "node:test";
import assert from "node:assert/strict";
import { load, advanceUntil, leaderOf, entryOf } from "./helpers.mjs";

const { Playground } = await load();

const awkward = [
  'say "hi"',
  "back\\slash \\\" \\\\",
  "tab\there\nnewline\r\u0000nul\u001f\u007f",
  "é 日本語 🦀 \u2028 \u2029 \ufeff",
  "</script><!-- {\"json\": [1, 2]} -->",
  "",
];

test("commands with quotes, backslashes, control characters and Unicode round-trip", () => {
  const pg = new Playground({ nodes: 3, seed: 11 });
  advanceUntil(pg, (s) => s.leader !== null, { what: "a leader" });
  for (const command of awkward) pg.propose(command);
  // In flight: AppendEntries carry the commands as they are.
  const carried = new Set();
  for (let i = 0; i < 100; i++) {
    for (const m of pg.state().messages) {
      if (m.type === "AppendEntries") for (const e of m.entries) carried.add(e.command);
    }
    pg.stepEvent();
  }
  for (const command of awkward.filter((c) => c !== "")) {
    assert.ok(carried.has(command), `in flight: ${JSON.stringify(command)}`);
  }
  const state = advanceUntil(
    pg,
    (s) => s.nodes.every((n) => awkward.every((c) => entryOf(n, c) && n.commitIndex >= entryOf(n, c).index)),
    { what: "all commands committed everywhere" },
  );
  const commands = leaderOf(state)
    .log.filter((e) => e.kind === "command")
    .map((e) => e.command);
  assert.deepEqual(commands, awkward);
  // The event log quotes commands in its text; every event must still parse.
  const events = pg.events();
  assert.ok(events.length > 0);
  for (const e of events) assert.equal(typeof e.text, "string");
});

test("kv keys and values with awkward text round-trip", () => {
  const pg = new Playground({ nodes: 3, seed: 5 });
  advanceUntil(pg, (s) => s.leader !== null, { what: "a leader" });
  const pairs = [
    ['k"1', 'v\\1'],
    ["ключ", "значение🦀"],
    ["a\u0001b", "c\u007fd"],
  ];
  for (const [k, v] of pairs) pg.propose(`put ${k} ${v}`);
  advanceUntil(pg, (s) => s.nodes.every((n) => n.appliedIndex >= leaderOf(s).log.at(-1).index), {
    what: "all applied",
  });
  for (const id of [1, 2, 3]) {
    assert.deepEqual(pg.kv(id), Object.fromEntries(pairs));
  }
});

test("times are exactly us / 1000", () => {
  const pg = new Playground({ nodes: 3, seed: 3, latencyMs: [1.001, 7.25] });
  let us = 0;
  for (const step of [0.001, 0.01, 0.1, 1.234, 0.999, 12.5, 1000.007]) {
    pg.advance(step);
    us += Math.round(step * 1000);
    assert.equal(pg.state().timeMs, us / 1000);
    assert.equal(pg.stats().timeMs, us / 1000);
  }
  for (let i = 0; i < 200; i++) pg.stepEvent();
  const s = pg.state();
  for (const m of s.messages) {
    assert.equal(m.sentAtMs, Math.round(m.sentAtMs * 1000) / 1000);
    assert.ok(m.deliverAtMs >= m.sentAtMs + 1.001 && m.deliverAtMs <= m.sentAtMs + 7.25);
  }
  for (const n of s.nodes) {
    assert.equal(typeof n.electionElapsedMs, "number");
    assert.equal(n.electionElapsedMs, Math.round(n.electionElapsedMs * 1000) / 1000);
  }
});

test("options keep their float values and types", () => {
  const given = { nodes: 4, seed: 9, latencyMs: [0.5, 33.3333], lossRatio: 0.07, duplicateRatio: 1e-7 };
  const options = new Playground(given).options();
  assert.deepEqual(options.latencyMs, given.latencyMs);
  assert.equal(options.lossRatio, 0.07);
  assert.equal(options.duplicateRatio, 1e-7);
  assert.equal(options.nodes, 4);
  assert.equal(options.seed, 9);
  assert.equal(typeof options.preVote, "boolean");
  assert.equal(typeof options.faults.voteWithoutLogCheck, "boolean");
  // What options() returns is accepted back as it is.
  assert.deepEqual(new Playground(options).options(), options);
});
