// messagesPacked() and www/inflight.js: the page's cheap read of the messages in flight
// must say exactly what state() says of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { advanceUntil, load } from "./helpers.mjs";
import { STRIDE, TYPES, messageUnpacker, unpackMessages } from "../../www/inflight.js";

const { Playground } = await load();

// The page's unpacker, which keeps each message's object from one call to the next.
const cached = messageUnpacker();

/**
 * Unpacked messages, by unpackMessages() and by the page's cached unpacker, equal
 * state({ entryLimit: 0 }).messages; adds the types seen to `seen`.
 */
function same(pg, seen) {
  const packed = pg.messagesPacked();
  assert.ok(packed instanceof Float64Array);
  const expected = pg.state({ logLimit: 0, entryLimit: 0 }).messages;
  assert.equal(packed.length, expected.length * STRIDE);
  assert.deepStrictEqual(unpackMessages(packed), expected);
  assert.deepStrictEqual(cached(packed), expected);
  for (const m of expected) seen.add(m.type === "AppendEntriesResponse" ? `${m.type} ${m.success}` : m.type);
}

/** Advances `ms`, one millisecond at a time, comparing the two reads after each. */
function run(pg, ms, seen) {
  for (let t = 0; t < ms; t++) {
    pg.advance(1);
    same(pg, seen);
  }
}

test("messagesPacked() unpacks to state()'s messages, for every type of message", () => {
  const seen = new Set();
  const pg = new Playground({ nodes: 5, seed: 7, preVote: true, lossRatio: 0.05 });
  same(pg, seen);
  let s = advanceUntil(pg, (st) => { same(pg, seen); return st.leader !== null; }, { stepMs: 1, what: "a leader" });
  // A follower misses entries, and the leader compacts them away: it gets a snapshot.
  const lagging = s.nodes.find((n) => n.id !== s.leader).id;
  pg.crash(lagging);
  for (let i = 0; i < 10; i++) {
    pg.propose(`op${i}`);
    run(pg, 20, seen);
  }
  run(pg, 200, seen);
  pg.compact(s.leader);
  pg.restart(lagging);
  run(pg, 400, seen);
  // Leadership handed over (TimeoutNow), then the new leader cut off while it takes
  // requests that never commit; after the heal the others' leader overwrites them,
  // refusing appends on the way.
  const target = pg.state().nodes.find((n) => n.id !== s.leader && n.id !== lagging).id;
  pg.transferLeader(target);
  s = advanceUntil(pg, (st) => { same(pg, seen); return st.leader === target; }, { stepMs: 1, what: "the transfer" });
  pg.partition([[target], pg.state().nodes.filter((n) => n.id !== target).map((n) => n.id)]);
  for (let i = 0; i < 5; i++) pg.propose(`lost${i}`, target);
  run(pg, 1500, seen);
  pg.heal();
  run(pg, 1500, seen);
  const wanted = [...TYPES.filter((t) => t !== "AppendEntriesResponse"), "AppendEntriesResponse true", "AppendEntriesResponse false"];
  assert.deepEqual(wanted.filter((t) => !seen.has(t)), [], "every type of message was compared");
  assert.deepEqual(pg.state().violations, []);
});

test("state({ messageLimit }) lists the first messages only; unpackMessages refuses what is not packed messages", () => {
  const pg = new Playground({ nodes: 5, seed: 3 });
  advanceUntil(pg, (st) => st.messages.length > 3, { stepMs: 1, what: "messages in flight" });
  const all = pg.state().messages;
  assert.deepEqual(pg.state({ messageLimit: 2 }).messages, all.slice(0, 2));
  assert.deepEqual(pg.state({ messageLimit: 0 }).messages, []);
  assert.throws(() => pg.state({ messageLimit: -1 }), /messageLimit/);
  assert.throws(() => unpackMessages(new Float64Array(STRIDE + 1)), /length 12 is not a multiple of 11/);
  const bad = pg.messagesPacked();
  bad[3] = 42;
  assert.throws(() => unpackMessages(bad), /unknown message type code 42/);
});

test("the cached unpacker hands out a message's object again while it flies, and a new one under a reused id", () => {
  const unpack = messageUnpacker();
  const pg = new Playground({ nodes: 5, seed: 11 });
  advanceUntil(pg, (st) => st.messages.length > 3, { stepMs: 1, what: "messages in flight" });
  const before = unpack(pg.messagesPacked());
  pg.advance(1);
  const after = unpack(pg.messagesPacked());
  const kept = after.filter((m) => before.some((b) => b.id === m.id));
  assert.ok(kept.length > 0, "some messages still fly a millisecond later");
  for (const m of kept) assert.equal(m, before.find((b) => b.id === m.id), `message ${m.id} keeps its object`);
  assert.ok(after.every(Object.isFrozen), "the objects handed out again are frozen");
  // Another playground numbers its messages from 1 again: the same ids, other messages.
  const other = new Playground({ nodes: 3, seed: 12, latencyMs: [40, 60] });
  advanceUntil(other, (st) => st.messages.some((m) => after.some((a) => a.id === m.id)), { stepMs: 1, what: "a reused id" });
  assert.deepStrictEqual(unpack(other.messagesPacked()), other.state({ entryLimit: 0 }).messages);
  // Messages gone since the last call are forgotten: back to the first playground, its
  // messages are read afresh and still right.
  pg.advance(1);
  assert.deepStrictEqual(unpack(pg.messagesPacked()), pg.state({ entryLimit: 0 }).messages);
});
