// What the event log (www/eventlog.js) makes of a real run's trace: which events it tells,
// and in what words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classify } from "../../www/eventlog.js";
import { load } from "./helpers.mjs";

const { Playground } = await load();

/** A run in which two servers stand for term 1 at once: votes go both ways. */
function splitVote(seed) {
  const pg = new Playground({ nodes: 5, seed, preVote: false });
  pg.timeout(1);
  pg.timeout(2);
  return pg;
}

test("the log tells who voted for whom, and who was denied", () => {
  const pg = splitVote(8);
  pg.advance(2000);
  const state = pg.state();
  const lines = pg.events(0).map((e) => classify(e, state)).filter(Boolean);
  const votes = lines.filter((l) => l.kind === "vote").map((l) => l.text);
  const denials = lines.filter((l) => l.kind === "refused" && / its vote /.test(l.text)).map((l) => l.text);
  assert.ok(denials.length > 0, "a split vote denies some votes");
  // Here every refusal is for a vote already cast in the term.
  for (const t of denials) assert.match(t, /^node \d denied node \d its vote in term \d+: it voted for (node \d|itself) in this term$/);
  // The leader won its term with a majority: itself and at least two voters, each told.
  const leader = state.nodes.find((n) => n.id === state.leader);
  const won = votes.filter((t) => t.endsWith(`voted for node ${leader.id} in term ${leader.term}`));
  assert.ok(won.length >= 2, `votes for the leader: ${votes.join("; ")}`);
  // Every vote told is the voter's vote of record for that term: one per voter and term.
  const byVoterTerm = new Map();
  for (const t of votes) {
    const [, voter, candidate, term] = /^node (\d) voted for node (\d) in term (\d+)$/.exec(t);
    const key = `${voter}@${term}`;
    assert.ok(!byVoterTerm.has(key) || byVoterTerm.get(key) === candidate, `two votes by ${key}`);
    byVoterTerm.set(key, candidate);
  }
  for (const n of state.nodes) {
    const told = byVoterTerm.get(`${n.id}@${n.term}`);
    if (told) assert.equal(Number(told), n.votedFor, `node ${n.id}'s vote in term ${n.term}`);
  }
  // Pre-votes and the rest of the traffic are not told.
  assert.ok(!lines.some((l) => /^(sent|delivered|dropped)/.test(l.text)));
});

test("a refusal says when the candidate's log is behind (the election restriction, §5.4.1)", () => {
  // Node 3, cut off, campaigns again and again and comes back in a higher term with a
  // shorter log: the others take its term and refuse it.
  const pg = new Playground({ nodes: 3, seed: 4, preVote: false, checkQuorum: false });
  let state = pg.state();
  while (state.leader === null || state.leader === 3) {
    pg.advance(50);
    state = pg.state();
  }
  pg.partition([[1, 2], [3]]);
  for (let i = 0; i < 3; i++) {
    pg.propose(`x=${i}`);
    pg.advance(100);
  }
  pg.advance(1000);
  const since = pg.eventSeq;
  pg.heal();
  pg.advance(1000);
  state = pg.state();
  const lines = pg.events(since).map((e) => classify(e, state)).filter((l) => l?.kind === "refused" && / denied node 3 /.test(l.text));
  assert.ok(lines.length > 0);
  for (const l of lines) assert.match(l.text, /^node [12] denied node 3 its vote in term \d+: node 3's log is less up to date than its own$/);
});

test("every vote answer is told once, also one lost as it was sent, and never a copy", () => {
  // Answers lost as they are sent, and copied by the network; then a partition drops
  // answers and copies on their way.
  const pg = splitVote(8);
  pg.setNetwork({ lossRatio: 0.4, duplicateRatio: 1 });
  pg.advance(40);
  pg.partition([[1], [2], [3, 4, 5]]);
  pg.advance(2000);
  const state = pg.state();
  const events = pg.events(0);
  const told = new Set();
  const lines = events.map((e) => classify(e, state, told)).filter((l) => l && (l.kind === "vote" || / its vote /.test(l.text)));
  // The answers: the vote answers whose first event is their send or their drop as they
  // were sent; not the network's copies.
  const first = new Map();
  for (const e of events) if (e.messageType === "RequestVoteResponse" && !first.has(e.messageId)) first.set(e.messageId, e.kind);
  const answers = [...first.values()].filter((k) => k === "send" || k === "drop");
  assert.equal(lines.length, answers.length);
  // Copies were dropped on their way (and, above, none was told).
  assert.ok(events.some((e) => e.kind === "drop" && first.get(e.messageId) === "duplicate"));
  assert.ok(lines.some((l) => l.text.endsWith("(the answer was lost)")), lines.map((l) => l.text).join("\n"));
});

test("a refused append says where the follower's log parts from the leader's (§5.3)", () => {
  // As in the "repairing logs" tour: a follower misses entries while crashed, the cut-off
  // leader takes requests it cannot commit, and a later leader repairs both logs.
  const pg = new Playground({ nodes: 5, seed: 505, preVote: false, checkQuorum: false, fastBacktrack: false });
  const leaderOf = () => pg.state().leader;
  while (leaderOf() === null) pg.advance(50);
  const old = leaderOf();
  const oldTerm = pg.state().nodes.find((n) => n.id === old).term;
  const rest = [1, 2, 3, 4, 5].filter((id) => id !== old);
  const missed = rest[0];
  pg.crash(missed);
  pg.partition([[old], rest]);
  for (const c of ["p", "q", "r", "s"]) pg.propose(c, old);
  while (leaderOf() === null || leaderOf() === old) pg.advance(50);
  const fresh = leaderOf();
  for (const c of ["t", "u", "v"]) pg.propose(c, fresh);
  pg.advance(500);
  const third = rest.find((id) => id !== missed && id !== fresh);
  pg.timeout(third);
  pg.advance(500);
  assert.equal(leaderOf(), third);
  const since = pg.eventSeq;
  pg.restart(missed);
  pg.heal();
  pg.advance(2000);
  const state = pg.state();
  const lines = pg
    .events(since)
    .map((e) => classify(e, state))
    .filter((l) => l?.kind === "refused")
    .map((l) => l.text);
  const to = (leader) => lines.filter((t) => t.includes(` refused leader ${leader}'s AppendEntries`));
  // The old leader's heartbeats, from a term the others have left.
  assert.ok(to(old).length > 0, lines.join("\n"));
  for (const t of to(old)) assert.match(t, new RegExp(`^node \\d refused leader ${old}'s AppendEntries: leader ${old}'s term is behind its own$`));
  // The new leader's probes, until it finds where each log parts from its own.
  const probes = to(third);
  for (const t of probes) assert.match(t, /^node \d refused leader \d's AppendEntries: (it has no entry at index \d+ \(its log ends at \d+(; the entries between are still on their way\)\. Later ones like it in term \d+ are not listed|\))|its entry at index \d+ is from term \d+, not \d+)$/);
  assert.ok(probes.some((t) => t.startsWith(`node ${missed} `) && / has no entry /.test(t)), probes.join("\n"));
  assert.ok(probes.some((t) => t.startsWith(`node ${old} `) && t.includes(` is from term ${oldTerm}, not `)), probes.join("\n"));
});

test("a leader that steps down says why", () => {
  // CheckQuorum: a leader cut off alone steps down.
  const pg = new Playground({ nodes: 3, seed: 4 });
  while (pg.state().leader === null) pg.advance(50);
  const old = pg.state().leader;
  pg.partition([[old], [1, 2, 3].filter((id) => id !== old)]);
  pg.advance(1000);
  const state = pg.state();
  const lines = pg.events(0).map((e) => classify(e, state)).filter(Boolean).map((l) => l.text);
  const said = new RegExp(`^node ${old} stepped down as leader \\(term \\d+\\): it heard from no majority for an election timeout \\(CheckQuorum\\)$`);
  assert.ok(lines.some((t) => said.test(t)), lines.join("\n"));
});

test("a transfer's target tells whose TimeoutNow made it stand, as an election", () => {
  const pg = new Playground({ nodes: 3, seed: 4 });
  while (pg.state().leader === null) pg.advance(50);
  const old = pg.state().leader;
  const target = [1, 2, 3].find((id) => id !== old);
  const since = pg.eventSeq;
  pg.transferLeader(target);
  pg.advance(300);
  const state = pg.state();
  assert.equal(state.leader, target);
  const term = state.nodes.find((n) => n.id === target).term;
  const lines = pg.events(since).map((e) => classify(e, state)).filter(Boolean);
  const stood = lines.filter((l) => l.text.startsWith(`node ${target} starts election`));
  assert.deepEqual(stood, [
    {
      text: `node ${target} starts election for term ${term} without waiting to time out: leader ${old} hands its leadership over (TimeoutNow)`,
      kind: "election",
    },
  ]);
});

test("under load, appends that overtook one another are told once per follower and term", () => {
  // A request every 5 ms with 10-30 ms of latency: pipelined appends arrive out of order.
  const pg = new Playground({ nodes: 5, seed: 3 });
  while (pg.state().leader === null) pg.advance(50);
  const since = pg.eventSeq;
  for (let t = 0; t < 3000; t += 5) {
    pg.propose(`x${t}`);
    pg.advance(5);
  }
  const state = pg.state();
  const events = pg.events(since);
  const overtaken = (e) => e.kind === "send" && e.ok === false && e.overtaken === true;
  // The flag marks exactly the refusals whose reason says the entries are on their way.
  for (const e of events) assert.equal(e.overtaken === true, /on their way/.test(e.why ?? ""), JSON.stringify(e));
  const told = new Set();
  const lines = events.map((e) => classify(e, state, told)).filter(Boolean);
  const refusals = lines.filter((l) => /on their way/.test(l.text)).map((l) => l.text);
  const keys = refusals.map((t) => t.match(/^node (\d) refused leader (\d)'s .* in term (\d+) are not listed$/).slice(1).join());
  assert.ok(events.filter(overtaken).length > refusals.length, `${events.filter(overtaken).length} refusals, ${refusals.length} told`);
  assert.ok(refusals.length > 0);
  assert.equal(new Set(keys).size, keys.length, refusals.join("\n"));
  // Every follower, leader and term with such refusals gets its one line.
  const answered = new Set(events.filter(overtaken).map((e) => `${e.nodes.join()},${e.term}`));
  assert.deepEqual([...answered].sort(), [...new Set(keys)].sort());
});

test("a follower that deletes entries conflicting with its leader's says which", () => {
  // A leader cut off alone takes a request it cannot commit; the others elect a new leader,
  // whose first entry goes at the same index. Healed, the old leader gives the request up.
  const pg = new Playground({ nodes: 5, seed: 11 });
  while (pg.state().leader === null) pg.advance(20);
  pg.advance(300); // its first entry commits
  const old = pg.state().leader;
  pg.partition([[old], [1, 2, 3, 4, 5].filter((id) => id !== old)]);
  const { index } = pg.propose("lost", old);
  pg.advance(1500);
  const fresh = pg.state().leader;
  assert.notEqual(fresh, old);
  const since = pg.eventSeq;
  pg.heal();
  pg.advance(800);
  const state = pg.state();
  const events = pg.events(since);
  const lines = events.map((e) => classify(e, state)).filter(Boolean).map((l) => l.text);
  const said = new RegExp(`^node ${old} deleted its entry at index ${index} and took leader ${fresh}'s instead: its entry at index ${index} is from term 1, the leader's from term [2-9]$`);
  assert.ok(lines.some((t) => said.test(t)), lines.join("\n"));
  const e = events.find((x) => x.kind === "overwrite");
  assert.deepEqual([e.nodes, e.index], [[old], index]);
  // The request is gone from its log: the leader's entry is there.
  const log = (id) => state.nodes.find((n) => n.id === id).log;
  assert.deepEqual(log(old).find((x) => x.index === index), log(fresh).find((x) => x.index === index));
});
