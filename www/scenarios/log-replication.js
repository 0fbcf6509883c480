// Log replication (§5.3): a request becomes an entry, replicated, committed, applied.
import { leader, entry, names } from "./util.js";

const holders = (s, i) => s.nodes.filter((n) => n.up && entry(n, i)?.command === "x=1").map((n) => n.id);

export default {
  id: "log-replication",
  title: "4. Log replication",
  setup: { options: { nodes: 5, seed: 404, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption: (s) => `First an election: server ${leader(s)?.id} leads term ${leader(s)?.term}. Its first entry is an empty one that starts its term (the logs panel shows it).`,
      until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `A client sends "x=1" to leader ${ctx.l}. The leader appends it to its own log at index ${ctx.i} (dashed: not committed yet) and sends it to every follower in AppendEntries.`,
      actions: (pg, s, ctx) => {
        const r = pg.propose("x=1");
        ctx.l = r.leader;
        ctx.i = r.index;
      },
    },
    {
      caption: (s, ctx) =>
        `Now ${names(holders(s, ctx.i))} store the entry: a majority. Each follower checked that its log matches the leader's just before the new entry, appended it and acknowledged.`,
      until: { test: (s, ctx) => holders(s, ctx.i).length >= 3, withinMs: 1000, waitingFor: "a majority to store it" },
    },
    {
      caption: (s, ctx) =>
        `The leader counted the acknowledgements: the entry is on a majority, so it is committed (solid). It can never be lost now. The leader applies x=1 to its state machine and answers the client.`,
      until: { test: (s, ctx) => s.nodes.find((n) => n.id === ctx.l).commitIndex >= ctx.i, withinMs: 1000, waitingFor: "the commit" },
    },
    {
      caption: (s, ctx) =>
        `The followers learn the new commit index from the leader's next AppendEntries (a heartbeat will do) and apply x=1 too. Every server's state machine now holds the same x=1.`,
      until: { test: (s, ctx) => s.nodes.every((n) => n.commitIndex >= ctx.i), withinMs: 1000, waitingFor: "every follower to commit" },
    },
  ],
};
