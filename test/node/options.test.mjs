// The Playground's options: defaults, and an Error naming the option for every bad value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./helpers.mjs";

const { Playground } = await load();

test("every option is optional", () => {
  assert.doesNotThrow(() => new Playground());
  assert.doesNotThrow(() => new Playground({}));
  assert.doesNotThrow(() => new Playground(null));
});

test("valid options are accepted", () => {
  const pg = new Playground({
    nodes: 3,
    seed: 7,
    electionTimeoutMs: [200, 400],
    heartbeatMs: 40,
    latencyMs: [5, 15],
    lossRatio: 0.1,
    preVote: false,
    checkQuorum: true,
    fastBacktrack: false,
    maxEntriesPerAppend: 1,
  });
  assert.equal(pg.seed, 7);
  const o = pg.options();
  assert.deepEqual(
    [o.nodes, o.electionTimeoutMs, o.heartbeatMs, o.latencyMs, o.lossRatio, o.preVote, o.fastBacktrack, o.maxEntriesPerAppend],
    [3, [200, 400], 40, [5, 15], 0.1, false, false, 1],
  );
});

const bad = [
  [{ nodes: 12 }, /^nodes must be an integer from 3 to 9, got 12$/],
  [{ nodes: 2 }, /^nodes must be an integer from 3 to 9, got 2$/],
  [{ nodes: 4.5 }, /^nodes .*got 4\.5$/],
  [{ nodes: "5" }, /^nodes .*got "5"$/],
  [{ nodes: NaN }, /^nodes .*got NaN$/],
  [{ seed: -1 }, /^seed must be an integer/],
  [{ seed: 1.5 }, /^seed must be an integer/],
  [{ seed: 2 ** 60 }, /^seed must be an integer from 0 to 9007199254740991/],
  [{ seed: "42" }, /^seed /],
  [{ electionTimeoutMs: 150 }, /^electionTimeoutMs must be an array/],
  [{ electionTimeoutMs: [300, 150] }, /^electionTimeoutMs must be \[min, max\]/],
  [{ electionTimeoutMs: [150, 150] }, /^electionTimeoutMs /],
  [{ electionTimeoutMs: [150] }, /^electionTimeoutMs /],
  [{ electionTimeoutMs: [150, "x"] }, /^electionTimeoutMs /],
  [{ heartbeatMs: 0 }, /^heartbeatMs must be an integer/],
  [{ heartbeatMs: -5 }, /^heartbeatMs /],
  [{ latencyMs: [10, Infinity] }, /^latencyMs /],
  [{ latencyMs: [-1, 5] }, /^latencyMs /],
  [{ lossRatio: 1.5 }, /^lossRatio must be a number from 0 to 1, got 1\.5$/],
  [{ lossRatio: -0.1 }, /^lossRatio /],
  [{ lossRatio: "0.1" }, /^lossRatio /],
  [{ duplicateRatio: 2 }, /^duplicateRatio /],
  [{ preVote: "yes" }, /^preVote must be true or false, got "yes"$/],
  [{ checkQuorum: 1 }, /^checkQuorum must be true or false, got 1$/],
  [{ clients: -1 }, /^clients /],
  [{ fastBacktrack: "no" }, /^fastBacktrack must be true or false/],
  [{ maxEntriesPerAppend: 0 }, /^maxEntriesPerAppend must be an integer from 1 to 10000, got 0$/],
  [{ faults: { noSuchFault: true } }, /^unknown fault "noSuchFault"/],
  [{ faults: { voteWithoutLogCheck: "on" } }, /^faults\.voteWithoutLogCheck /],
  [{ faults: [] }, /^faults must be an object/],
  [{ node: 5 }, /^unknown option "node"; expected one of: nodes, seed/],
  [5, /^options must be an object, got 5$/],
  ["nodes=5", /^options must be an object/],
  [[5], /^options must be an object, got an array$/],
];

for (const [options, message] of bad) {
  test(`rejects ${JSON.stringify(options) ?? String(options)}`, () => {
    assert.throws(() => new Playground(options), (err) => {
      assert.ok(err instanceof Error, "a JS Error");
      assert.match(err.message, message);
      return true;
    });
  });
}
