// Figure 8 of the Raft paper (§5.4.2): why a leader may not commit an entry of an
// earlier term by counting replicas, and what it does instead.
import { leader, node, entry } from "./util.js";

export default {
  id: "figure-8",
  title: "7. Figure 8: old-term entries",
  setup: {
    // Long timeouts: here we decide who stands for election, by forcing timeouts.
    options: {
      nodes: 5,
      seed: 708,
      preVote: false,
      checkQuorum: false,
      electionTimeoutMs: [1500, 3000],
      // One entry per AppendEntries, so an old-term entry can reach a follower on its own.
      maxEntriesPerAppend: 1,
    },
    speed: 0.05,
  },
  steps: [
    {
      caption: "Server 1 times out and becomes leader of term 1 (elections here happen only when we force a timeout).",
      actions: [["timeout", 1]],
      until: { test: (s) => leader(s)?.id === 1 && s.nodes.every((n) => n.commitIndex >= 1), withinMs: 1000, waitingFor: "server 1 to lead" },
    },
    {
      caption: "(a) The network splits {1, 2} | {3, 4, 5}. Leader 1 takes request \"a\" at index 2, term 1, but it reaches only server 2: not a majority, not committed.",
      actions: (pg) => {
        pg.partition([[1, 2], [3, 4, 5]]);
        pg.propose("a", 1);
      },
      until: { test: (s) => entry(node(s, 2), 2)?.command === "a", withinMs: 500, waitingFor: "server 2 to store a" },
    },
    {
      caption:
        "(b) Server 5 wins term 2 with votes from 3 and 4 and appends its own entry at index 2 (term 2), then gets cut off before it can send it to anyone.",
      actions: [["timeout", 5]],
      until: { test: (s) => leader(s)?.id === 5 || node(s, 5).role === "leader", withinMs: 500, waitingFor: "server 5 to lead" },
      after: (pg) => pg.partition([[1, 2], [3, 4], [5]]),
    },
    {
      caption:
        "Server 1, still leader of term 1, gets through to 2 and 3 again. Server 3 answers its heartbeat with term 2, so 1 learns that a newer term exists and steps down to follower.",
      actions: [["partition", [[1, 2, 3], [4], [5]]]],
      until: { test: (s) => node(s, 1).role === "follower", withinMs: 500, waitingFor: "server 1 to learn of term 2" },
    },
    {
      caption: (s) =>
        `(c) Server 1 wins term 3 with votes from 2 and 3 and sends server 3 the entries it lacks, one per message. "a" (term 1) now sits on 1, 2 and 3, a majority, and server 3 has acknowledged it (the ▁ match marker). Yet leader 1 does not commit it (commit index still ${node(s, 1).commitIndex}). Look at server 5: its last entry has term 2, newer than "a"'s term 1, so 5 could still win an election with votes from 3 and 4 and overwrite "a" everywhere. That is Figure 8: being on a majority is not enough for an entry of an earlier term.`,
      actions: [["timeout", 1]],
      until: { test: (s) => leader(s)?.id === 1 && entry(node(s, 3), 2)?.command === "a" && node(s, 3).matchIndex >= 2, withinMs: 1000, waitingFor: "server 3 to store a" },
    },
    {
      caption: (s) =>
        `So a leader counts replicas only for entries of its own term (§5.4.2). Once its term-3 entry at index 3 is on a majority, that entry is committed, and "a" before it with it (solid in the logs: commit index ${node(s, 1).commitIndex}). Now no server without "a" can be elected.`,
      until: { test: (s) => [1, 2, 3].every((id) => node(s, id).commitIndex >= 3), withinMs: 1000, waitingFor: "the term-3 entry to commit" },
    },
    {
      caption: "Now server 1 crashes and the network heals. Server 5, still leader of term 2, hears of term 3 and steps down.",
      actions: (pg) => {
        pg.crash(1);
        pg.heal();
      },
      until: { test: (s) => node(s, 5).role === "follower", withinMs: 500, waitingFor: "server 5 to step down" },
    },
    {
      caption: (s) =>
        `Server 5 tries to take over in term ${node(s, 5).term}. Servers 2 and 3 refuse: their last entry, of term 3, is newer than 5's (term 2). Only 4 votes for it: 5 cannot win, and "a" is safe. (Tour 7b runs this story with the rule switched off.)`,
      actions: [["timeout", 5]],
      until: {
        test: (s) => node(s, 5).role === "candidate" && s.messages.filter((m) => m.type === "RequestVote" || m.type === "RequestVoteResponse").length === 0,
        withinMs: 500,
        waitingFor: "the votes",
      },
    },
  ],
};
