// Random sequences of Playground calls, right and wrong, against the built wasm: no call
// may trap the instance, every refusal is an Error that says what was wrong, the safety
// checker finds nothing (no protocol fault is switched on), and once the network is healed
// and every node is back the cluster elects a leader and commits a request.
//
// fast-check draws the sequences from a fixed seed, so a run is the same every time; a
// failure prints the seed and the shrunk sequence that replays it. For a longer search:
//   FUZZ_RUNS=5000 FUZZ_SEED=7 node --test test/node/fuzz.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { load } from "./helpers.mjs";

const { Playground } = await load();

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

// A node id: mostly `{ pick: k }`, one of the cluster's nodes chosen when the call is made
// (ids change as addNode and removeNode go), now and then a value no node has.
const BAD_IDS = [0, 12, 99, -1, 1.5, NaN, "2", null];
const id = fc.oneof({ weight: 9, arbitrary: fc.nat().map((k) => ({ pick: k })) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_IDS) });
const ms = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 800 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, NaN, 1e9, "5") });
const command = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("put k v", "get k", "cas k v w", ""));
const via = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: id });

/** One call: [name, ...args]. Most are well formed; some carry values that must be refused. */
const action = fc.oneof(
  { weight: 16, arbitrary: fc.tuple(fc.constant("advance"), ms) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("stepEvent")) },
  { weight: 8, arbitrary: fc.tuple(fc.constant("propose"), command, via) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("crash"), id) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("restart"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("timeout"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("setElectionTimer"), id, ms) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("partition"), fc.array(fc.array(id, { maxLength: 5 }), { maxLength: 4 })) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("split"), fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 9 })) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("heal")) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("cutLink"), id, id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("restoreLink"), id, id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("dropMessage"), fc.nat({ max: 40 })) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constant("setNetwork"),
      fc.record(
        {
          latencyMs: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 120 })), fc.constant("fast")),
          lossRatio: fc.oneof(fc.double({ min: 0, max: 0.4, noNaN: true }), fc.constant(2)),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant("addNode")) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("removeNode"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("transferLeader"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("compact"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("clone"), fc.boolean()) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("kv"), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("setClientsPaused"), fc.boolean()) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("read"), fc.nat({ max: 20 })) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constant("setProtocol"),
      fc.record({ fastBacktrack: fc.boolean(), maxEntriesPerAppend: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: [] }),
    ),
  },
);

const options = fc.record({
  nodes: fc.integer({ min: 3, max: 9 }),
  seed: fc.nat(),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  clients: fc.constantFrom(0, 1, 2, 3, 5),
  snapshotThreshold: fc.option(fc.integer({ min: 3, max: 40 }), { nil: undefined }),
  fastBacktrack: fc.boolean(),
  maxEntriesPerAppend: fc.integer({ min: 1, max: 8 }),
  lossRatio: fc.constantFrom(0, 0.05, 0.2),
});

/**
 * `x` as an argument: a `{ pick }` becomes one of the cluster's ids (for restart, one of its
 * crashed nodes if it has any; for crash, a running one), any other value stays as it is.
 */
function resolve(pg, x, name) {
  if (Array.isArray(x)) return x.map((y) => resolve(pg, y, name));
  if (x === null || typeof x !== "object" || !("pick" in x)) return x;
  const nodes = pg.state({ logLimit: 0, entryLimit: 0, messageLimit: 0 }).nodes;
  const want = name === "restart" ? nodes.filter((n) => !n.up) : name === "crash" ? nodes.filter((n) => n.up) : [];
  const from = want.length ? want : nodes;
  return from[x.pick % from.length].id;
}

/** Runs one call on `pg`; returns the playground to go on with (clone may swap it). */
function perform(pg, [name, ...raw]) {
  const args = raw.map((x) => resolve(pg, x, name));
  switch (name) {
    case "advance":
      pg.advance(args[0]);
      return pg;
    case "propose":
      pg.propose(args[0], args[1]);
      return pg;
    case "split": {
      // Node k (in id order) goes to group args[0][k % length]: a well-formed partition.
      const groups = new Map();
      pg.state({ logLimit: 0 }).nodes.forEach((n, k) => {
        const g = args[0][k % args[0].length];
        groups.set(g, [...(groups.get(g) ?? []), n.id]);
      });
      pg.partition([...groups.values()]);
      return pg;
    }
    case "setElectionTimer":
    case "cutLink":
    case "restoreLink":
      pg[name](args[0], args[1]);
      return pg;
    case "dropMessage": {
      const msgs = pg.state({ entryLimit: 0 }).messages;
      pg.dropMessage(msgs.length ? msgs[args[0] % msgs.length].id : args[0]);
      return pg;
    }
    case "clone": {
      const copy = pg.clone();
      if (args[0]) return copy; // go on with the copy, the original left behind
      copy.advance(100);
      copy.free();
      return pg;
    }
    case "read":
      pg.events(args[0]);
      pg.exportTrace();
      pg.messagesPacked();
      pg.stats();
      pg.state({ logLimit: args[0] });
      return pg;
    default:
      pg[name](...args);
      return pg;
  }
}

/** The sequences: options, whether to run a second first (most start with a leader), calls. */
const SEQUENCE = [options, fc.nat({ max: 3 }), fc.array(action, { minLength: 1, maxLength: 80 })];

/** Makes a playground and runs `actions` on it; `after(call)` runs after each. */
function play(opts, warm, actions, after = () => {}) {
  const clean = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  let pg = new Playground(clean);
  if (warm) pg.advance(1000);
  for (const a of actions) {
    try {
      pg = perform(pg, a);
    } catch (err) {
      assert.ok(err instanceof Error, `${a[0]} threw a non-Error: ${err}`);
      assert.ok(err.message.length > 0, `${a[0]} threw an Error with no message`);
      assert.doesNotMatch(err.message, /unreachable|RuntimeError|recursive use|panicked|null pointer/i, `${a[0]}: ${err.message}`);
    }
    after(pg, a);
  }
  return pg;
}

test("random sequences of calls never trap the wasm, keep Raft safe, and leave a cluster that recovers", () => {
  fc.assert(
    fc.property(...SEQUENCE, (opts, warm, actions) => {
      const pg = play(opts, warm, actions, (pg, a) => {
        // The instance still answers, and the checker has found nothing.
        assert.deepEqual(pg.state({ entryLimit: 0 }).violations, [], `after ${JSON.stringify(a)}`);
      });
      // Heal everything and bring every node back: a leader must come, and commit.
      pg.heal();
      pg.setNetwork({ lossRatio: 0, latencyMs: [20, 40] });
      pg.setClientsPaused(false);
      for (const n of pg.state().nodes) if (!n.up) pg.restart(n.id);
      let s = pg.state();
      for (let t = 0; t < 30_000 && s.leader === null; t += 50) {
        pg.advance(50);
        s = pg.state();
      }
      assert.notEqual(s.leader, null, "a leader within 30 s of a healed network");
      // A leader just elected may yet step down (a membership change, CheckQuorum): ask
      // whoever leads until one request commits.
      let committed = false;
      for (let t = 0; t < 30_000 && !committed; ) {
        try {
          const { leader, index } = pg.propose("after the storm");
          const term = pg.state().nodes.find((n) => n.id === leader).term;
          for (let u = 0; u < 3_000 && !committed; u += 50, t += 50) {
            pg.advance(50);
            // Still leader in the same term, so its entry at `index` is still the request (a
            // leader never rewrites its log), perhaps compacted into a snapshot by now.
            const l = pg.state().nodes.find((n) => n.id === leader);
            committed = l.role === "leader" && l.term === term && l.commitIndex >= index;
          }
        } catch {
          pg.advance(100);
          t += 100;
        }
      }
      assert.ok(committed, "a request commits once the network is healed");
      assert.deepEqual(pg.state({ entryLimit: 0 }).violations, []);
      pg.free();
    }),
    { numRuns: RUNS, seed: SEED, includeErrorInReport: true },
  );
});

test("the same options and the same calls give the same run, event for event", () => {
  fc.assert(
    fc.property(...SEQUENCE, (opts, warm, actions) => {
      // A seed is part of the options (fc draws one), so nothing is left to chance.
      const a = play(opts, warm, actions);
      const b = play(opts, warm, actions);
      assert.equal(JSON.stringify(b.exportTrace()), JSON.stringify(a.exportTrace()));
      assert.equal(JSON.stringify(b.state()), JSON.stringify(a.state()));
      assert.deepEqual([...b.messagesPacked()], [...a.messagesPacked()]);
      a.free();
      b.free();
    }),
    { numRuns: Math.ceil(RUNS / 4), seed: SEED + 1, includeErrorInReport: true },
  );
});
