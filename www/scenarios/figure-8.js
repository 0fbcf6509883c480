// Figure 8 of the Raft paper (§5.4.2): why a leader may not commit an entry of an
// earlier term by counting replicas, and what it does instead.
import { leader, node, entry } from "./util.js";

export default {
  id: "figure-8",
  title: "7. Figure 8: old-term entries",
  setup: {
    // Long timeouts: here we decide who stands for election, by forcing timeouts.
    options: { nodes: 5, seed: 707, preVote: false, checkQuorum: false, electionTimeoutMs: [1500, 3000] },
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
      caption: (s) =>
        `(c) Server 1 is back with 2 and 3 and wins term 3 (it had to try twice: 3 had voted in term 2). It sends its log to 3: "a" (term 1) now sits on 1, 2 and 3, a majority. Could 1 commit it by counting? No: server 5's last entry has term 2, newer than "a"'s term 1, so 5 could still be elected by 3 and 4 and overwrite "a" everywhere. That is Figure 8. Instead, a leader counts replicas only for entries of its own term: index 3, term 3 travelled with "a", and once it is on a majority it is committed, "a" with it (commit index ${node(s, 1).commitIndex}).`,
      actions: (pg) => {
        pg.partition([[1, 2, 3], [4], [5]]);
        pg.timeout(1);
        pg.timeout(1);
      },
      until: { test: (s) => leader(s)?.id === 1 && node(s, 1).term === 3 && node(s, 1).commitIndex >= 3, withinMs: 1000, waitingFor: "server 1 to commit" },
    },
    {
      caption: (s) =>
        `Now server 1 crashes and 5 tries to take over (term ${node(s, 5).term}). Servers 2 and 3 refuse: their last entry, of term 3, is newer than 5's (term 2). Only 4 votes for it; 5 cannot win, and "a" is safe.`,
      actions: (pg) => {
        pg.crash(1);
        pg.heal();
        pg.timeout(5);
      },
      until: { test: (s) => s.messages.filter((m) => m.type === "RequestVote" || m.type === "RequestVoteResponse").length === 0 && node(s, 5).role !== "leader", withinMs: 500, waitingFor: "the votes" },
    },
  ],
};
