// Unit tests of the space-time diagram's model (www/msghistory.js) and its pure geometry
// (www/render/spacetime-view.js), against scripted stand-ins for the Playground: what the
// trace says, what state() says, and what the history makes of them; and once against a
// real Playground.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MessageHistory, HISTORY_MESSAGES_MAX } from "../../www/msghistory.js";
import { arrowGeometry, kindColor } from "../../www/render/spacetime-view.js";
import { load } from "./helpers.mjs";

const { Playground } = await load();

/** A stand-in Playground whose trace and state the test writes. */
function fake({ withEvents = true } = {}) {
  const pg = { trace: [], seq: 0 };
  if (withEvents) {
    pg.events = (since) => pg.trace.filter((e) => e.seq >= since);
    Object.defineProperty(pg, "eventSeq", { get: () => pg.seq });
  }
  pg.push = (e) => pg.trace.push({ seq: pg.seq++, ...e });
  return pg;
}

const nodes = (roles = ["follower", "follower", "follower"]) => roles.map((role, i) => ({ id: i + 1, role, term: 1, up: true }));
const state = (timeMs, messages = [], ns = nodes()) => ({ timeMs, messages, nodes: ns });
const send = (t, id, from, to, type) => ({ kind: "send", timeMs: t, messageId: id, messageType: type, nodes: [from, to] });
const end = (kind, t, id, from, to, type, reason) => ({ kind, timeMs: t, messageId: id, messageType: type, nodes: [from, to], ...(reason ? { reason } : {}) });

test("sends, deliveries and drops from the trace become messages with a fate", () => {
  const pg = fake();
  const h = new MessageHistory();
  pg.push(send(10, 1, 1, 2, "RequestVote"));
  pg.push(send(10, 2, 1, 3, "RequestVote"));
  const inFlight = [
    { id: 1, from: 1, to: 2, type: "RequestVote", term: 2, sentAtMs: 10, deliverAtMs: 30 },
    { id: 2, from: 1, to: 3, type: "RequestVote", term: 2, sentAtMs: 10, deliverAtMs: 25 },
  ];
  assert.equal(h.pull(pg, state(12, inFlight)), true);
  assert.equal(h.messages.get(1).fate, "flying");
  assert.equal(h.messages.get(1).deliverAtMs, 30);
  assert.equal(h.messages.get(1).term, 2);
  pg.push(end("drop", 25, 2, 1, 3, "RequestVote", "partitioned"));
  pg.push(end("deliver", 30, 1, 1, 2, "RequestVote"));
  pg.push(send(30, 3, 2, 1, "RequestVoteResponse"));
  h.pull(pg, state(31, [{ id: 3, from: 2, to: 1, type: "RequestVoteResponse", granted: false, term: 2, sentAtMs: 30, deliverAtMs: 45 }]));
  assert.deepEqual([h.messages.get(1).fate, h.messages.get(1).endMs], ["delivered", 30]);
  assert.deepEqual([h.messages.get(2).fate, h.messages.get(2).endMs, h.messages.get(2).reason], ["dropped", 25, "partitioned"]);
  assert.equal(h.messages.get(3).kind, "voteNo"); // learnt from state(): the vote was denied
  assert.equal(h.pull(pg, state(31, [{ id: 3, from: 2, to: 1, type: "RequestVoteResponse", granted: false, term: 2, sentAtMs: 30, deliverAtMs: 45 }])), false);
  assert.deepEqual([...h.within(26, 40)].map((m) => m.id).sort(), [1, 3]);
});

test("a refused message ends at its recipient, marked as not taken", () => {
  const pg = fake();
  const h = new MessageHistory();
  pg.push(send(5, 7, 1, 2, "AppendEntries"));
  pg.push(end("refused", 20, 7, 1, 2, "AppendEntries"));
  h.pull(pg, state(21));
  const m = h.messages.get(7);
  assert.equal(m.fate, "dropped");
  assert.equal(m.deliverAtMs, 20);
  assert.match(m.reason, /refused/);
});

test("without a trace, messages that vanish early count as dropped, on time as delivered", () => {
  const pg = fake({ withEvents: false });
  const h = new MessageHistory();
  const a = { id: 1, from: 1, to: 2, type: "AppendEntries", entries: [], term: 1, sentAtMs: 0, deliverAtMs: 20 };
  const b = { id: 2, from: 1, to: 3, type: "AppendEntries", entries: [{ index: 1 }], term: 1, sentAtMs: 0, deliverAtMs: 40 };
  h.pull(pg, state(1, [a, b]));
  assert.equal(h.messages.get(1).kind, "heartbeat");
  assert.equal(h.messages.get(2).kind, "append");
  h.pull(pg, state(25, []));
  assert.deepEqual([h.messages.get(1).fate, h.messages.get(1).endMs], ["delivered", 20]);
  assert.deepEqual([h.messages.get(2).fate, h.messages.get(2).endMs], ["dropped", 25]);
});

test("role changes are recorded per node, and time going back starts over", () => {
  const pg = fake();
  const h = new MessageHistory();
  h.pull(pg, state(0));
  pg.push({ kind: "roleChange", timeMs: 150, nodes: [2], role: "candidate", term: 2 });
  pg.push({ kind: "roleChange", timeMs: 170, nodes: [2], role: "leader", term: 2 });
  pg.push({ kind: "crash", timeMs: 300, nodes: [3] });
  h.pull(pg, state(301, [], [
    { id: 1, role: "follower", term: 2, up: true },
    { id: 2, role: "leader", term: 2, up: true },
    { id: 3, role: "follower", term: 1, up: false },
  ]));
  assert.equal(h.roleAt(2, 160).role, "candidate");
  assert.equal(h.roleAt(2, 200).role, "leader");
  assert.equal(h.roleAt(3, 299).role, "follower");
  assert.equal(h.roleAt(3, 300).role, "down");
  assert.equal(h.roleAt(1, 301).term, 2); // the term change read from state()
  // Time travel to an earlier moment: the history is rebuilt from what the trace holds then.
  pg.trace = pg.trace.filter((e) => e.timeMs <= 150);
  pg.seq = pg.trace.length;
  h.pull(pg, state(150, [], nodes(["follower", "candidate", "follower"])));
  assert.equal(h.timeMs, 150);
  assert.equal(h.roleAt(2, 200).role, "candidate");
  // Another Playground (a reset): start over as well.
  const other = fake();
  h.pull(other, state(0));
  assert.equal(h.messages.size, 0);
});

test("the history keeps at most HISTORY_MESSAGES_MAX messages, forgetting the oldest finished ones", () => {
  const pg = fake();
  const h = new MessageHistory();
  const n = HISTORY_MESSAGES_MAX + 300;
  for (let i = 1; i <= n; i++) {
    pg.push(send(i, i, 1, 2, "AppendEntries"));
    if (i < n) pg.push(end("deliver", i + 1, i, 1, 2, "AppendEntries"));
  }
  h.pull(pg, state(n + 1, [{ id: n, from: 1, to: 2, type: "AppendEntries", entries: [], term: 1, sentAtMs: n, deliverAtMs: n + 10 }]));
  assert.equal(h.messages.size, HISTORY_MESSAGES_MAX);
  assert.equal(h.messages.has(1), false);
  assert.equal(h.messages.has(n), true); // the one in flight stays
});

test("arrow geometry: delivered arrows run lane to lane, flying ones stop at now, drops short", () => {
  const yOf = (t) => t * 2;
  const delivered = { sentAtMs: 10, deliverAtMs: 30, endMs: 30, fate: "delivered" };
  assert.deepEqual(arrowGeometry(delivered, 100, 300, yOf, 50), { x0: 100, y0: 20, x1: 300, y1: 60 });
  const flying = { sentAtMs: 10, deliverAtMs: 30, endMs: null, fate: "flying" };
  const g = arrowGeometry(flying, 100, 300, yOf, 20);
  assert.equal(g.x1, 200); // half way along at half the flight time
  assert.equal(g.y1, 40); // and at the height of "now"
  const late = { sentAtMs: 10, deliverAtMs: 30, endMs: 20, fate: "dropped" };
  assert.equal(arrowGeometry(late, 100, 300, yOf, 50).x1, 200);
  const atOnce = { sentAtMs: 10, deliverAtMs: null, endMs: 10, fate: "dropped" };
  const stub = arrowGeometry(atOnce, 100, 300, yOf, 50);
  assert.equal(stub.x1, 150); // a stub a quarter of the way, so the X shows
  assert.ok(stub.y1 > stub.y0);
});

test("arrow colours are the glyph colours of palette.js", () => {
  assert.equal(kindColor("heartbeat"), "#2f6fd0");
  assert.equal(kindColor("voteNo"), "#d23c3c");
  assert.equal(kindColor("prevote"), "#c98a12"); // a white fill is skipped for the stroke
  assert.equal(kindColor("no-such-kind"), "#5b6b82");
});

test("messages the page never saw in flight get their kind and term from the trace", () => {
  // The same run twice: one history pulled after every event (every message is seen in
  // flight), one pulled once at the end (a fast page, or a script's long advance).
  const splitVote = () => {
    // Two servers stand for term 1 at once: votes go both ways.
    const pg = new Playground({ nodes: 5, seed: 8, preVote: false });
    pg.timeout(1);
    pg.timeout(2);
    return pg;
  };
  const fine = splitVote();
  const coarse = splitVote();
  const hFine = new MessageHistory();
  const hCoarse = new MessageHistory();
  while (fine.timeMs < 400) {
    fine.stepEvent();
    hFine.pull(fine, fine.state());
  }
  coarse.advance(fine.timeMs);
  hCoarse.pull(coarse, coarse.state());
  let compared = 0;
  const kinds = new Set();
  for (const [id, m] of hCoarse.messages) {
    const ref = hFine.messages.get(id);
    if (!ref || m.exact) continue;
    assert.equal(m.kind, ref.kind, `message ${id} (${m.type})`);
    assert.equal(m.term, ref.term, `message ${id}'s term`);
    kinds.add(m.kind);
    compared++;
  }
  assert.ok(compared > 20, `compared ${compared}`);
  assert.ok(kinds.has("voteNo") && kinds.has("voteYes"), [...kinds].join(", "));
  // A refused vote carries the voter's reasons (shown when the arrow is pointed at).
  for (const m of hCoarse.messages.values())
    if (m.kind === "voteNo") assert.match(m.why ?? "", /^it voted for (node \d|itself) in this term$/);
});
