// Figure 8 of the Raft paper (§5.4.2) for real: with the rule broken (a leader commits
// an old-term entry by counting replicas), the entry is committed and then overwritten.
// The leader pipelines its appends, so its own term-3 entry follows "a" to server 3 at
// once; the tour cuts that link the moment "a" lands, as the paper's figure assumes.
import { leader, node, entry, names } from "./util.js";

const lastIndex = (n) => n.log.at(-1)?.index ?? 0;
/** Ids of the live nodes that voted for `id` in its current term. */
const votersFor = (s, id) => s.nodes.filter((n) => n.id !== id && n.up && n.term === node(s, id).term && n.votedFor === id).map((n) => n.id);
/** Ids of the nodes holding an entry of this term at this index. */
const holdersOf = (s, index, term) => s.nodes.filter((n) => entry(n, index)?.term === term).map((n) => n.id);

export default {
  id: "figure-8-broken",
  title: "7b. Figure 8 with the rule broken",
  setup: {
    options: {
      nodes: 5,
      seed: 708,
      preVote: false,
      checkQuorum: false,
      electionTimeoutMs: [1500, 3000],
      // One entry per AppendEntries, so an old-term entry can reach a follower on its own.
      maxEntriesPerAppend: 1,
      faults: { commitOldTermByCount: true },
    },
    speed: 0.05,
  },
  steps: [
    {
      caption:
        "The same story as tour 7, but these servers commit any entry once it is on a majority, whatever its term: the rule of §5.4.2 is switched off. Server 1 leads term 1.",
      actions: [["timeout", 1]],
      until: { test: (s) => leader(s)?.id === 1 && s.nodes.every((n) => n.commitIndex >= 1), withinMs: 1000, waitingFor: "server 1 to lead" },
    },
    {
      caption: "(a) Split {1, 2} | {3, 4, 5}: leader 1 puts \"a\" at index 2 (term 1) on server 2 only.",
      actions: (pg) => {
        pg.partition([[1, 2], [3, 4, 5]]);
        pg.propose("a", 1);
      },
      until: { test: (s) => entry(node(s, 2), 2)?.command === "a", withinMs: 500, waitingFor: "server 2 to store a" },
    },
    {
      caption: "(b) Server 5 wins term 2 with votes from 3 and 4, appends its own entry at index 2 (term 2) and is cut off before sending it.",
      actions: [["timeout", 5]],
      until: { test: (s) => node(s, 5).role === "leader", withinMs: 500, waitingFor: "server 5 to lead" },
      after: (pg) => pg.partition([[1, 2], [3, 4], [5]]),
    },
    {
      caption: "Server 1 gets through to 2 and 3 again, hears of term 2 and steps down.",
      actions: [["partition", [[1, 2, 3], [4], [5]]]],
      until: { test: (s) => node(s, 1).role === "follower", withinMs: 500, waitingFor: "server 1 to step down" },
    },
    {
      caption:
        '(c) Server 1 wins term 3 with votes from 2 and 3, appends its own entry at index 3 (term 3) and sends server 3 what it lacks, one entry per message. The moment "a" lands on 3, we cut the link from 1 to 3: 1\'s term-3 entry, sent right behind "a", never arrives. In the paper it has simply not got there yet.',
      actions: [["timeout", 1]],
      until: {
        test: (s) => node(s, 1).role === "leader" && lastIndex(node(s, 3)) === 2 && entry(node(s, 3), 2)?.command === "a",
        withinMs: 1000,
        waitingFor: "server 3 to store a",
      },
      after: (pg) => pg.cutLink(1, 3),
    },
    {
      caption: (s) =>
        `Server 3 acknowledges "a" (the link back to 1 still works). "a" is on 1, 2 and 3, a majority, and this broken leader counts that as committed: commit index ${node(s, 1).commitIndex}, and it applies "a" (applied index ${node(s, 1).appliedIndex}), although its own term-3 entry is on ${names(holdersOf(s, 3, 3))} only, not a majority. Server 1 crashes at this very moment.`,
      until: {
        test: (s) => node(s, 1).commitIndex >= 2 && lastIndex(node(s, 3)) === 2,
        withinMs: 500,
        waitingFor: "server 1 to commit a",
      },
      after: (pg) => pg.crash(1),
    },
    {
      caption: "The network heals. Server 5, still leader of term 2, hears of term 3 and steps down.",
      actions: [["heal"]],
      until: { test: (s) => node(s, 5).role === "follower", withinMs: 500, waitingFor: "server 5 to step down" },
    },
    {
      caption: (s) =>
        `(d) Server 5 stands for election in term ${node(s, 5).term}. Its last entry has term 2, newer than "a" (term 1) at the end of server 3's log, so ${names(votersFor(s, 5))} vote for it and it wins without the committed "a". The safety checker flags it at once: "${s.violations[0]?.text ?? ""}".`,
      actions: [["timeout", 5]],
      until: {
        test: (s) => node(s, 5).role === "leader" && s.violations.some((v) => v.kind === "leader completeness"),
        withinMs: 1000,
        waitingFor: "the election",
      },
      // Who still holds "a" as 5 takes over, for the next caption.
      after: (pg, s, ctx) => {
        ctx.hadA = s.nodes.filter((n) => n.up && entry(n, 2)?.command === "a").map((n) => n.id);
      },
    },
    {
      caption: (s, ctx) =>
        `(e) Leader 5 makes the other logs match its own: on ${names(ctx.hadA)} it replaces "a" at index 2 with its own term-2 entry, and it commits and applies index 2. Server 1 had committed and applied "a" there: two state machines now disagree, which is exactly what Raft exists to prevent. The checker: "${s.violations.find((v) => v.kind === "state machine safety")?.text ?? ""}". With the rule in place (tour 7), "a" would not have counted as committed until an entry of term 3 was on a majority too, and then server 5 could not have won.`,
      until: {
        test: (s) => s.nodes.every((n) => !n.up || entry(n, 2)?.term === 2) && node(s, 5).commitIndex >= 2 && s.violations.some((v) => v.kind === "state machine safety"),
        withinMs: 1000,
        waitingFor: "server 5 to overwrite a",
      },
    },
  ],
};
