// Leader election (§5.2): RequestVote, one vote per term, majority wins, random timeouts.
import { inRole, leader, inFlight, names } from "./util.js";

const voters = (s, c) => s.nodes.filter((n) => n.term === c.term && n.votedFor === c.id).map((n) => n.id);

export default {
  id: "leader-election",
  title: "2. Leader election",
  setup: { options: { nodes: 5, seed: 202, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption:
        "Each follower draws a random election timeout, here between 150 and 300 ms: see how the rings drain at different rates. Randomness makes it likely that one server times out well before the others.",
    },
    {
      caption: (s, ctx) =>
        `Server ${ctx.c} ran out first. It increments its term to ${ctx.t}, votes for itself and sends RequestVote (term ${ctx.t}, plus the index and term of its last log entry) to every other server.`,
      until: { test: (s) => inFlight(s, "RequestVote").length > 0, withinMs: 1000, waitingFor: "the first timeout" },
      after: (pg, s, ctx) => {
        const c = inRole(s, "candidate")[0];
        ctx.c = c.id;
        ctx.t = c.term;
      },
    },
    {
      caption: (s, ctx) => {
        const c = s.nodes.find((n) => n.id === ctx.c);
        const v = voters(s, c).filter((id) => id !== ctx.c);
        return `Each server grants at most one vote per term, to the first candidate that asks (and whose log is at least as up to date as its own); it records it as votedFor: ${names(v)} voted for server ${ctx.c} in term ${ctx.t}.`;
      },
      until: { test: (s, ctx) => voters(s, s.nodes.find((n) => n.id === ctx.c)).length >= 3, withinMs: 1000, waitingFor: "votes" },
    },
    {
      caption: (s, ctx) =>
        `With votes from a majority (3 of 5, its own included) server ${ctx.c} becomes leader of term ${ctx.t}. It appends an empty entry for its term and sends AppendEntries at once, so the others reset their timers instead of starting elections of their own.`,
      until: { test: (s) => !!leader(s), withinMs: 1000, waitingFor: "the votes to come back" },
    },
  ],
};
