// Figure 8 of the Raft paper (§5.4.2) for real: with the rule broken (a leader commits
// an old-term entry by counting replicas), the entry is committed and then overwritten.
import { leader, node, entry } from "./util.js";

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
      caption: (s) =>
        `(c) Server 1 wins term 3 and sends "a" to server 3, one entry per message. "a" is now on 1, 2 and 3, and this broken leader counts that as committed: commit index ${node(s, 1).commitIndex}, before its own term-3 entry is on a majority. Server 1 crashes at this very moment.`,
      actions: [["timeout", 1]],
      until: { test: (s) => node(s, 1).role === "leader" && node(s, 1).commitIndex >= 2, withinMs: 1000, waitingFor: "server 1 to commit a" },
      after: (pg) => pg.crash(1),
    },
    {
      caption: "The network heals. Server 5, still leader of term 2, hears of term 3 and steps down.",
      actions: [["heal"]],
      until: { test: (s) => node(s, 5).role === "follower", withinMs: 500, waitingFor: "server 5 to step down" },
    },
    {
      caption: (s) =>
        `(d) Server 5 stands for election. Its last entry has term 2, newer than "a" (term 1), so servers 3 and 4 vote for it: it wins term ${node(s, 5).term} without the committed "a", and will overwrite it on 3. The safety checker caught it: "${(s.violations[0]?.text ?? "").slice(0, 140)}". With the rule in place (tour 7), "a" would not have counted as committed until an entry of term 3 was on a majority too, and then 5 could not have won.`,
      actions: [["timeout", 5]],
      until: { test: (s) => s.violations.length > 0, withinMs: 1000, waitingFor: "the election" },
    },
  ],
};
