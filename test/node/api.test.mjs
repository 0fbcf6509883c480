// The Playground's JS API (README "Scripting API") against the built wasm, in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { advanceUntil, entryOf, leaderOf, load } from "./helpers.mjs";

const { Playground } = await load();

const ROLES = new Set(["follower", "precandidate", "candidate", "leader"]);
const TYPES = new Set([
  "RequestVote",
  "RequestVoteResponse",
  "PreVote",
  "PreVoteResponse",
  "AppendEntries",
  "AppendEntriesResponse",
  "InstallSnapshot",
  "InstallSnapshotResponse",
  "TimeoutNow",
]);

/** A playground with a leader elected. */
function elected(options = {}) {
  const pg = new Playground({ nodes: 5, seed: 42, ...options });
  advanceUntil(pg, (s) => s.leader !== null, { what: "a leader" });
  return pg;
}

const isInt = (x) => Number.isInteger(x) && x >= 0;

test("state() follows the documented schema", () => {
  const pg = new Playground({ nodes: 5, seed: 1 });
  pg.advance(1500);
  const s = pg.state();
  assert.equal(typeof s.timeMs, "number");
  assert.equal(s.timeMs, 1500);
  assert.ok(s.leader === null || isInt(s.leader));
  assert.equal(s.nodes.length, 5);
  assert.deepEqual(
    s.nodes.map((n) => n.id),
    [1, 2, 3, 4, 5],
  );
  for (const n of s.nodes) {
    assert.ok(ROLES.has(n.role), n.role);
    assert.ok(isInt(n.term));
    assert.ok(n.votedFor === null || isInt(n.votedFor));
    assert.ok(isInt(n.commitIndex));
    assert.equal(typeof n.up, "boolean");
    assert.ok(isInt(n.group));
    assert.equal(typeof n.electionElapsedMs, "number");
    assert.equal(typeof n.electionTimeoutMs, "number");
    assert.ok(Array.isArray(n.log));
    for (const e of n.log) {
      assert.ok(isInt(e.index) && e.index >= 1);
      assert.ok(isInt(e.term));
      assert.equal(typeof e.command, "string");
    }
    if (n.role === "leader") {
      assert.equal(n.nextIndex, undefined);
      assert.equal(typeof n.progress, "object");
    }
  }
  assert.ok(s.messages.length > 0, "heartbeats are in flight");
  for (const m of s.messages) {
    assert.ok(isInt(m.id) && isInt(m.from) && isInt(m.to) && isInt(m.term));
    assert.ok(TYPES.has(m.type), m.type);
    assert.ok(m.sentAtMs <= s.timeMs && s.timeMs <= m.deliverAtMs);
    if (m.type === "AppendEntries") {
      assert.ok(Array.isArray(m.entries));
      assert.equal(m.entryCount, m.entries.length);
    }
  }
  assert.deepEqual(s.violations, []);
  // Plain data: survives a JSON round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test("state({ logLimit, entryLimit }) trims logs and message entries, nothing else", () => {
  const pg = new Playground({ nodes: 5, seed: 12 });
  advanceUntil(pg, (s) => s.leader !== null, { what: "a leader" });
  for (let i = 0; i < 6; i++) pg.propose(`c${i}`);
  pg.advance(3); // the leader's appends are on their way
  const full = pg.state();
  const appends = full.messages.filter((m) => m.entryCount > 0);
  assert.ok(appends.length > 0, "appends carrying entries are in flight");
  for (const limit of [0, 2]) {
    const trimmed = pg.state({ logLimit: limit, entryLimit: limit });
    assert.equal(trimmed.messages.length, full.messages.length);
    full.messages.forEach((m, i) => {
      const t = trimmed.messages[i];
      assert.deepEqual({ ...t, entries: undefined }, { ...m, entries: undefined });
      if (m.type === "AppendEntries") assert.deepEqual(t.entries, m.entries.slice(0, limit));
    });
    full.nodes.forEach((n, i) => {
      assert.deepEqual(trimmed.nodes[i].log, limit === 0 ? [] : n.log.slice(-limit));
      assert.deepEqual({ ...trimmed.nodes[i], log: undefined }, { ...n, log: undefined });
    });
  }
  assert.throws(() => pg.state({ entryLimit: -1 }), /entryLimit/);
  assert.throws(() => pg.state({ entryLimit: "all" }), /entryLimit/);
  assert.throws(() => pg.state({ entries: 0 }), /unknown state option "entries"; expected logLimit, entryLimit or messageLimit/);
  assert.deepEqual(pg.state(), full, "the playground is unchanged");
});

test("a leader is elected and followers see the leader's progress", () => {
  const pg = elected();
  const s = pg.state();
  const leaders = s.nodes.filter((n) => n.role === "leader");
  assert.equal(leaders.length, 1);
  assert.equal(leaders[0].id, s.leader);
  for (const n of s.nodes) {
    assert.equal(n.term, leaders[0].term);
    if (n.id !== s.leader) {
      assert.ok(isInt(n.nextIndex) && n.nextIndex >= 1);
      assert.ok(isInt(n.matchIndex));
    }
  }
});

test("same seed, same calls: identical state; another seed: a different run", () => {
  const run = (seed) => {
    const pg = new Playground({ nodes: 5, seed, lossRatio: 0.05 });
    pg.advance(1000);
    const s = pg.state();
    if (s.leader !== null) pg.propose("a");
    pg.advance(700);
    pg.crash(2);
    pg.advance(300);
    pg.restart(2);
    pg.advance(1000);
    return JSON.stringify(pg.state()) + JSON.stringify(pg.events(0));
  };
  assert.equal(run(7), run(7));
  assert.notEqual(run(7), run(8));
});

test("a client request is replicated to every node and committed", () => {
  const pg = elected();
  const { leader, index } = pg.propose("set x=1");
  assert.equal(leader, pg.state().leader);
  assert.ok(isInt(index) && index >= 1);
  const s = advanceUntil(pg, (st) => st.nodes.every((n) => n.commitIndex >= index), {
    what: "commit on every node",
  });
  for (const n of s.nodes) {
    const e = entryOf(n, "set x=1");
    assert.ok(e, `node ${n.id} has the entry`);
    assert.equal(e.index, index);
  }
});

test("propose without a leader, or via a follower, throws a clear error", () => {
  const fresh = new Playground({ seed: 3 });
  assert.throws(() => fresh.propose("x"), /^Error: no leader/);
  const pg = elected();
  const follower = pg.state().nodes.find((n) => n.role !== "leader").id;
  assert.throws(() => pg.propose("x", follower), new RegExp(`node ${follower} is not the leader`));
  assert.throws(() => pg.propose(42), /command must be a string, got 42/);
  assert.throws(() => pg.propose("x", 99), /node 99 does not exist/);
  assert.throws(() => pg.propose("x".repeat(5000)), /command must be at most/);
});

test("partition the leader away: the rest elect a new leader, the old one cannot commit; heal converges", () => {
  const pg = elected();
  const old = pg.state().leader;
  const oldTerm = leaderOf(pg.state()).term;
  const rest = [1, 2, 3, 4, 5].filter((id) => id !== old);
  pg.partition([[old], rest]);
  const groups = new Set(pg.state().nodes.map((n) => n.group));
  assert.equal(groups.size, 2);
  // A request the old leader accepts while cut off.
  const stale = pg.propose("lost write", old);
  const s = advanceUntil(
    pg,
    (st) => st.nodes.some((n) => n.role === "leader" && n.id !== old && n.term > oldTerm),
    { what: "a new leader in the majority" },
  );
  const fresh = s.nodes.find((n) => n.role === "leader" && n.id !== old);
  assert.ok(rest.includes(fresh.id));
  pg.advance(2000);
  const cut = pg.state().nodes.find((n) => n.id === old);
  assert.ok(cut.commitIndex < stale.index, "the isolated leader never commits its entry");
  const { index } = pg.propose("after partition");
  pg.heal();
  const healed = advanceUntil(
    pg,
    (st) => st.nodes.every((n) => n.commitIndex >= index && n.log.length === st.nodes[0].log.length),
    { what: "logs converge after heal" },
  );
  const logs = healed.nodes.map((n) => JSON.stringify(n.log));
  assert.equal(new Set(logs).size, 1, "every log is identical");
  assert.equal(entryOf(healed.nodes[0], "lost write"), undefined, "the stale entry was overwritten");
  assert.ok(healed.nodes.every((n) => n.group === healed.nodes[0].group));
});

test("crash and restart: a crashed node is down, keeps its term and log, and catches up", () => {
  const pg = elected();
  const s0 = pg.state();
  const victim = s0.nodes.find((n) => n.id !== s0.leader);
  pg.propose("before crash");
  pg.advance(500);
  pg.crash(victim.id);
  let s = pg.state();
  let v = s.nodes.find((n) => n.id === victim.id);
  assert.equal(v.up, false);
  assert.equal(v.electionElapsedMs, null);
  assert.ok(s.messages.every((m) => m.from !== victim.id && m.to !== victim.id));
  const termBefore = v.term;
  const { index } = pg.propose("while down");
  pg.advance(500);
  assert.ok(pg.state().nodes.find((n) => n.id === victim.id).commitIndex < index);
  assert.throws(() => pg.crash(victim.id), /is crashed/);
  pg.restart(victim.id);
  v = pg.state().nodes.find((n) => n.id === victim.id);
  assert.equal(v.up, true);
  assert.ok(v.term >= termBefore);
  assert.ok(entryOf(v, "before crash"), "the persisted log survives the crash");
  s = advanceUntil(pg, (st) => st.nodes.find((n) => n.id === victim.id).commitIndex >= index, {
    what: "the restarted node catches up",
  });
  assert.ok(entryOf(s.nodes.find((n) => n.id === victim.id), "while down"));
  assert.throws(() => pg.restart(victim.id), /already running/);
});

test("timeout(id) starts an election on that node", () => {
  const pg = elected({ preVote: false, checkQuorum: false });
  const s = pg.state();
  const follower = s.nodes.find((n) => n.id !== s.leader);
  pg.timeout(follower.id);
  const t = pg.state().nodes.find((n) => n.id === follower.id);
  assert.equal(t.role, "candidate");
  assert.equal(t.term, follower.term + 1);
});

test("setElectionTimer(id, ms) decides who times out first, and refuses leaders and crashed nodes", () => {
  const pg = new Playground({ nodes: 5, seed: 9, preVote: false });
  pg.advance(21.5);
  const firesIn = pg.setElectionTimer(3, 40);
  assert.ok(firesIn >= 40 && firesIn < 50, `fires in ${firesIn} ms`);
  const n3 = pg.state().nodes.find((n) => n.id === 3);
  assert.ok(Math.abs(n3.electionTimeoutMs - n3.electionElapsedMs - firesIn) < 1, JSON.stringify(n3));
  const t0 = pg.timeMs;
  const s = advanceUntil(pg, (st) => st.nodes.some((n) => n.term > 0), { what: "a first candidate", stepMs: 1 });
  assert.deepEqual(s.nodes.filter((n) => n.term > 0).map((n) => n.id), [3]);
  assert.ok(Math.abs(pg.timeMs - t0 - firesIn) <= 1, `fired after ${pg.timeMs - t0} ms`);
  assert.ok(pg.events(0).some((e) => e.kind === "timerSet" && e.text === `node 3's election timer was set to ${firesIn} ms`));
  advanceUntil(pg, (st) => st.leader === 3, { what: "node 3 leads" });
  assert.throws(() => pg.setElectionTimer(3, 10), { message: "node 3 is the leader: a leader has no election timer" });
  pg.crash(1);
  assert.throws(() => pg.setElectionTimer(1, 10), { message: "node 1 is crashed" });
  assert.throws(() => pg.setElectionTimer(2, -1), { message: "ms must be a number from 0 to 60000, got -1" });
  assert.throws(() => pg.setElectionTimer(2, NaN), /ms must be a finite number/);
  assert.throws(() => pg.setElectionTimer(8, 10), /node 8 does not exist/);
  assert.ok(pg.setElectionTimer(2, 0) < 10, "0 ms: the node's next tick");
});

test("stepEvent processes one event at a time and describes it", () => {
  const pg = new Playground({ seed: 5 });
  let t = pg.timeMs;
  for (let i = 0; i < 50; i++) {
    const d = pg.stepEvent();
    assert.equal(typeof d, "string");
    assert.ok(d.length > 0);
    assert.ok(pg.timeMs >= t);
    t = pg.timeMs;
  }
});

test("dropMessage removes a message in flight; unknown ids throw", () => {
  const pg = elected();
  const m = pg.state().messages[0];
  pg.dropMessage(m.id);
  assert.ok(pg.state().messages.every((x) => x.id !== m.id));
  assert.throws(() => pg.dropMessage(m.id), /no message/);
  assert.throws(() => pg.dropMessage(-1), /messageId must be an integer/);
  const drops = pg.events(0).filter((e) => e.kind === "drop" && e.messageId === m.id);
  assert.equal(drops.length, 1);
});

test("setNetwork changes latency and loss; bad values throw and change nothing", () => {
  const pg = elected();
  pg.setNetwork({ latencyMs: [100, 100] });
  pg.advance(300);
  const ms = pg.state().messages;
  assert.ok(ms.length > 0);
  for (const m of ms) assert.ok(Math.abs(m.deliverAtMs - m.sentAtMs - 100) < 1e-6);
  pg.setNetwork({ lossRatio: 1 });
  const before = pg.stats().messagesDelivered;
  pg.advance(200); // what was already in flight may still land
  const mid = pg.stats().messagesDelivered;
  pg.advance(1000);
  assert.equal(pg.stats().messagesDelivered, mid);
  assert.ok(mid >= before);
  assert.throws(() => pg.setNetwork({ lossRatio: 2 }), /lossRatio/);
  assert.throws(() => pg.setNetwork({ nodes: 3 }), /setNetwork takes only/);
  assert.equal(pg.options().lossRatio, 1);
  assert.deepEqual(pg.options().latencyMs, [100, 100]);
});

test("events(sinceSeq) returns new events only, each with words", () => {
  const pg = new Playground({ seed: 11 });
  pg.advance(1000);
  const all = pg.events();
  assert.ok(all.length > 0);
  for (let i = 1; i < all.length; i++) assert.equal(all[i].seq, all[i - 1].seq + 1);
  for (const e of all) {
    assert.equal(typeof e.text, "string");
    assert.equal(typeof e.kind, "string");
    assert.equal(typeof e.timeMs, "number");
  }
  const next = all[all.length - 1].seq + 1;
  assert.deepEqual(pg.events(next), []);
  pg.advance(500);
  const fresh = pg.events(next);
  assert.ok(fresh.length > 0 && fresh[0].seq === next);
  assert.equal(pg.eventSeq, fresh[fresh.length - 1].seq + 1);
  assert.ok(all.some((e) => /timed out/.test(e.text)));
});

test("a message's events tell what state() tells of it: type, term, entries, granted or accepted", () => {
  // Two candidates at once: some votes are granted, some denied.
  const pg = new Playground({ nodes: 5, seed: 8, preVote: false });
  pg.timeout(1);
  pg.timeout(2);
  const sends = new Map();
  let checked = 0;
  const seen = new Set();
  for (let t = 0; t < 1500; t += 5) {
    if (t === 600) pg.propose("x=1");
    pg.advance(5);
    for (const e of pg.events(0)) if (e.kind === "send") sends.set(e.messageId, e);
    for (const m of pg.state().messages) {
      const e = sends.get(m.id);
      assert.ok(e, `message ${m.id} has a send event`);
      assert.equal(e.messageType, m.type);
      assert.deepEqual(e.nodes, [m.from, m.to]);
      assert.equal(e.term, m.term);
      if (m.type === "AppendEntries") assert.equal(e.entries, m.entries.length);
      else assert.equal(e.entries, undefined);
      const ok = m.granted ?? m.success;
      assert.equal(e.ok, typeof ok === "boolean" ? ok : undefined, `${m.type} ${m.id}`);
      seen.add(`${m.type} ${e.ok ?? ""} ${m.type === "AppendEntries" ? Math.min(e.entries, 1) : ""}`);
      checked++;
    }
  }
  assert.ok(checked > 100);
  for (const k of ["RequestVoteResponse true ", "RequestVoteResponse false ", "AppendEntries  0", "AppendEntries  1", "AppendEntriesResponse true "])
    assert.ok(seen.has(k), `saw ${k}: ${[...seen].join(" | ")}`);
});

test("clone() is an independent checkpoint with the same future", () => {
  const pg = elected();
  const copy = pg.clone();
  assert.equal(JSON.stringify(copy.state()), JSON.stringify(pg.state()));
  pg.advance(777);
  copy.advance(777);
  assert.equal(JSON.stringify(copy.state()), JSON.stringify(pg.state()));
  copy.crash(1);
  assert.equal(pg.state().nodes[0].up, true);
  copy.free();
  assert.ok(pg.state());
});

test("membership: addNode, removeNode, transferLeader", () => {
  const pg = elected();
  const id = pg.addNode();
  assert.equal(id, 6);
  let s = advanceUntil(pg, (st) => st.nodes.length === 6 && st.nodes.every((n) => n.voters.includes(6)), {
    what: "node 6 joins",
  });
  const leader = s.leader;
  const target = s.nodes.find((n) => n.id !== leader && n.up).id;
  pg.transferLeader(target);
  s = advanceUntil(pg, (st) => st.leader === target, { what: "leadership transfer" });
  // One membership change at a time: the new leader refuses another until the last one
  // in its log is committed.
  advanceUntil(
    pg,
    () => {
      try {
        pg.removeNode(6);
        return true;
      } catch (err) {
        assert.match(err.message, /membership change is still pending/);
        return false;
      }
    },
    { what: "removeNode accepted" },
  );
  s = advanceUntil(pg, (st) => st.nodes.every((n) => n.id !== 6), { what: "node 6 leaves" });
  assert.equal(s.nodes.length, 5);
  assert.deepEqual(s.violations, []);
});

test("a leader that has proposed its own removal hands over at once to a server that already left it out", () => {
  const pg = elected();
  const leader = pg.state().leader;
  const [target, , ...cut] = pg.state().nodes.map((n) => n.id).filter((id) => id !== leader);
  // The removal cannot commit: of the new configuration, only the target and the server
  // after it hear of it (2 of 4).
  for (const id of cut) pg.cutLink(leader, id);
  pg.removeNode(leader);
  let s = advanceUntil(pg, (st) => st.nodes.filter((n) => !n.voters.includes(leader)).length >= 3, {
    stepMs: 5,
    what: "the removal in the target's log",
  });
  assert.ok(!s.nodes.find((n) => n.id === target).voters.includes(leader), "the target has the removal");
  assert.equal(s.leader, leader, "the removed leader leads until the removal commits");
  const term = s.nodes.find((n) => n.id === leader).term;
  const seq = pg.eventSeq;
  pg.transferLeader(target);
  // Sooner than any election timeout: the target campaigns on the leader's TimeoutNow.
  s = advanceUntil(pg, (st) => st.leader === target, { stepMs: 5, limitMs: 120, what: "the target leads" });
  assert.equal(s.nodes.find((n) => n.id === target).term, term + 1);
  const evs = pg.events(seq).filter((e) => e.messageType === "TimeoutNow");
  assert.ok(evs.some((e) => e.kind === "deliver" && e.nodes[0] === leader && e.nodes[1] === target), "TimeoutNow delivered");
  assert.deepEqual(evs.filter((e) => e.kind === "refused"), []);
  pg.heal();
  s = advanceUntil(pg, (st) => st.nodes.every((n) => n.id !== leader), { what: "the removed leader leaves" });
  assert.deepEqual(s.violations, []);
});

test("background clients commit operations; they can be paused", () => {
  const pg = new Playground({ seed: 9, clients: 3 });
  pg.advance(5000);
  const st = pg.stats();
  assert.ok(st.clientOpsCompleted > 10, `completed ${st.clientOpsCompleted}`);
  assert.deepEqual(pg.violations(), []);
  const leader = pg.state().leader;
  assert.equal(typeof pg.kv(leader), "object");
  pg.setClientsPaused(true);
  pg.advance(1000);
  const done = pg.stats().clientOpsCompleted;
  pg.advance(2000);
  assert.equal(pg.stats().clientOpsCompleted, done);
});

test("a deliberately broken protocol is caught by the checker", () => {
  // Leaders that ignore higher terms keep leading after a partition heals: sooner or later
  // two leaders share a term or logs diverge. Try a few seeds; the checker must catch it.
  let caught = null;
  for (let seed = 1; seed <= 30 && !caught; seed++) {
    const pg = new Playground({
      seed,
      preVote: false,
      checkQuorum: false,
      faults: { voteWithoutLogCheck: true, forgetVoteOnRestart: true },
    });
    for (let round = 0; round < 8 && pg.state().violations.length === 0; round++) {
      pg.advance(600);
      const s = pg.state();
      if (s.leader !== null) {
        try {
          pg.propose(`w${round}`);
        } catch {}
        pg.partition([[s.leader]]);
      }
      pg.advance(600);
      for (const n of pg.state().nodes) if (n.id % 2 === round % 2) pg.crash(n.id);
      pg.advance(10);
      for (const n of pg.state().nodes) if (!n.up) pg.restart(n.id);
      pg.heal();
    }
    const v = pg.violations();
    if (v.length) caught = v[0];
  }
  assert.ok(caught, "some seed shows a violation");
  assert.equal(typeof caught.kind, "string");
  assert.equal(typeof caught.text, "string");
  assert.ok(Array.isArray(caught.nodes));
});

test("exportTrace returns options and the stored events as plain data", () => {
  const pg = new Playground({ seed: 4, traceCapacity: 100 });
  pg.advance(2000);
  const t = pg.exportTrace();
  assert.equal(t.format, "raft-playground-trace/1");
  assert.equal(t.options.seed, 4);
  assert.ok(t.events.length <= 100 && t.events.length > 0);
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
  const again = new Playground(t.options);
  again.advance(2000);
  assert.equal(JSON.stringify(again.exportTrace()), JSON.stringify(t));
});

test("setOptions applies network options and refuses the fixed ones", () => {
  const pg = new Playground({ seed: 2 });
  pg.setOptions({ lossRatio: 0.5, latencyMs: [1, 2] });
  assert.equal(pg.options().lossRatio, 0.5);
  assert.throws(() => pg.setOptions({ preVote: false }), /preVote cannot change/);
  assert.throws(() => pg.setOptions({ bogus: 1 }), /unknown option "bogus"/);
});

test("an unset seed is random, below 2^53, and reproducible", () => {
  const a = new Playground();
  const b = new Playground();
  assert.ok(Number.isSafeInteger(a.seed));
  assert.notEqual(a.seed, b.seed);
  const c = new Playground({ seed: a.seed });
  a.advance(1000);
  c.advance(1000);
  assert.equal(JSON.stringify(a.state()), JSON.stringify(c.state()));
});

test("no argument, however wrong, traps the wasm: every bad call throws an Error and the playground lives on", () => {
  const pg = elected();
  const bad = [undefined, null, NaN, -1, 0.5, 1e300, Infinity, "1", "", {}, [], [1, [2]], () => 1, 2 ** 64, true, 10n];
  const calls = {
    advance: (x) => pg.advance(x),
    crash: (x) => pg.crash(x),
    restart: (x) => pg.restart(x),
    timeout: (x) => pg.timeout(x),
    setElectionTimer: (x) => pg.setElectionTimer(x, 10),
    setElectionTimerMs: (x) => pg.setElectionTimer(2, x),
    partition: (x) => pg.partition(x),
    partitionInner: (x) => pg.partition([[x]]),
    dropMessage: (x) => pg.dropMessage(x),
    setNetwork: (x) => pg.setNetwork(x),
    setNetworkLatency: (x) => pg.setNetwork({ latencyMs: x }),
    setOptions: (x) => pg.setOptions(x),
    propose: (x) => pg.propose(x),
    proposeVia: (x) => pg.propose("c", x),
    removeNode: (x) => pg.removeNode(x),
    transferLeader: (x) => pg.transferLeader(x),
    events: (x) => pg.events(x),
    state: (x) => pg.state(x),
    kv: (x) => pg.kv(x),
    compact: (x) => pg.compact(x),
    cutLink: (x) => pg.cutLink(x, 1),
    setClientsPaused: (x) => pg.setClientsPaused(x),
    constructor: (x) => new Playground({ nodes: x }),
  };
  let thrown = 0;
  for (const [name, call] of Object.entries(calls)) {
    for (const x of bad) {
      try {
        call(x);
      } catch (err) {
        assert.ok(err instanceof Error, `${name}(${String(x)}) threw a non-Error: ${err}`);
        assert.ok(err.message.length > 0);
        assert.doesNotMatch(err.message, /unreachable|RuntimeError|recursive use/i, `${name}(${String(x)})`);
        thrown++;
      }
    }
  }
  assert.ok(thrown > 200, `most calls threw (${thrown})`);
  pg.heal();
  for (const n of pg.state().nodes) if (!n.up) pg.restart(n.id);
  pg.setNetwork({ lossRatio: 0, latencyMs: [20, 40] });
  advanceUntil(pg, (s) => s.leader !== null, { what: "a leader after the abuse" });
  assert.ok(pg.propose("still alive").index > 0);
});

test("advance rejects negative, NaN, non-number and absurd durations", () => {
  const pg = new Playground({ seed: 1 });
  assert.throws(() => pg.advance(-5), /^Error: ms must be a number from 0 to 3600000, got -5$/);
  assert.throws(() => pg.advance(NaN), /ms must be a finite number, got NaN/);
  assert.throws(() => pg.advance("10"), /ms must be a finite number, got "10"/);
  assert.throws(() => pg.advance(1e12), /ms must be a number from 0 to 3600000/);
  assert.equal(pg.advance(0), 0);
  assert.equal(pg.timeMs, 0);
  assert.ok(pg.advance(0.5) >= 0);
  assert.equal(pg.timeMs, 0.5);
});

test("cutLink drops one direction only; restoreLink brings it back", () => {
  const pg = elected();
  const { leader } = pg.state();
  const x = pg.state().nodes.find((n) => n.id !== leader).id;
  pg.cutLink(leader, x);
  const seq = pg.eventSeq;
  pg.advance(300);
  const evs = pg.events(seq);
  const cut = evs.filter((e) => e.kind === "drop" && e.nodes[0] === leader && e.nodes[1] === x);
  assert.ok(cut.length > 0, "leader -> x messages are dropped");
  assert.ok(cut.every((e) => e.reason === "link cut"));
  assert.ok(
    evs.some((e) => e.kind === "deliver" && e.nodes[0] === x && e.nodes[1] === leader) ||
      evs.some((e) => e.kind === "send" && e.nodes[0] === x),
    "x -> leader still works",
  );
  pg.restoreLink(leader, x);
  const seq2 = pg.eventSeq;
  pg.advance(300);
  assert.ok(pg.events(seq2).some((e) => e.kind === "deliver" && e.nodes[0] === leader && e.nodes[1] === x));
  assert.throws(() => pg.cutLink(1, 42), /node 42 does not exist/);
});

test("compact + a lagging follower: the leader sends InstallSnapshot and the follower catches up", () => {
  const pg = elected();
  const { leader } = pg.state();
  const lagging = pg.state().nodes.find((n) => n.id !== leader).id;
  pg.crash(lagging);
  let last = 0;
  for (let i = 0; i < 20; i++) {
    last = pg.propose(`op${i}`).index;
    pg.advance(20);
  }
  advanceUntil(pg, (s) => s.nodes.find((n) => n.id === leader).commitIndex >= last, { what: "commit" });
  const index = pg.compact(leader);
  assert.ok(index >= last, `compacted up to ${index}`);
  const l = pg.state().nodes.find((n) => n.id === leader);
  assert.equal(l.snapshotIndex, index);
  assert.ok(l.log.every((e) => e.index > index));
  // Let appends sent before the compaction land (or be dropped) first: after it, the
  // leader no longer has the entries and can only send its snapshot.
  pg.advance(100);
  pg.restart(lagging);
  let sawSnapshot = false;
  advanceUntil(
    pg,
    (s) => {
      sawSnapshot ||= s.messages.some((m) => m.type === "InstallSnapshot" && m.to === lagging);
      return s.nodes.find((n) => n.id === lagging).commitIndex >= last;
    },
    { stepMs: 5, what: "the follower catches up" },
  );
  assert.ok(sawSnapshot, "an InstallSnapshot was in flight to the lagging follower");
  assert.equal(pg.state().nodes.find((n) => n.id === lagging).snapshotIndex >= index, true);
  assert.deepEqual(pg.kv(lagging), pg.kv(leader));
});

test("maxEntriesPerAppend bounds every AppendEntries; fastBacktrack is an option", () => {
  const pg = elected({ maxEntriesPerAppend: 1, fastBacktrack: false });
  for (let i = 0; i < 5; i++) pg.propose(`c${i}`);
  let most = 0;
  for (let t = 0; t < 400; t += 5) {
    pg.advance(5);
    for (const m of pg.state().messages) if (m.type === "AppendEntries") most = Math.max(most, m.entries.length);
  }
  assert.equal(most, 1);
  assert.equal(pg.options().fastBacktrack, false);
  assert.throws(() => pg.setOptions({ maxEntriesPerAppend: 2 }), /maxEntriesPerAppend cannot change/);
});

test("README's Scripting API example runs and does what its comments say", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Scripting API"));
  const code = /```js\n([\s\S]*?)```/.exec(section)[1];
  // The import and init lines are the page's; here the module is loaded already.
  const body = code
    .split("\n")
    .filter((l) => !/^(import |await init)/.test(l))
    .join("\n");
  const logged = [];
  const run = new Function("Playground", "console", `${body}\nreturn { pg, p2, leader };`);
  const { pg, p2, leader } = run(Playground, { log: (...a) => logged.push(a) });
  assert.equal(logged.length, 1);
  // "a new leader among the other four; index never commits" (the old leader's entry).
  const s = pg.state();
  assert.notEqual(s.leader, leader);
  for (const n of s.nodes) {
    const e = entryOf(n, "x=1");
    assert.ok(!e || e.index > n.commitIndex, `node ${n.id} committed x=1`);
  }
  // "node 3 leads, in term 1"
  const s2 = p2.state();
  assert.equal(s2.leader, 3);
  assert.equal(s2.nodes.find((n) => n.id === 3).term, 1);
});
