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
  const denials = lines.filter((l) => l.kind === "novote").map((l) => l.text);
  assert.ok(denials.length > 0, "a split vote denies some votes");
  for (const t of denials) assert.match(t, /^node \d denied node \d its vote in term \d+$/);
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
