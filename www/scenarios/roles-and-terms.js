// Roles and terms (Raft paper §5.1): followers, a timeout, a candidate, a leader.
import { inRole, leader, maxTerm } from "./util.js";

export default {
  id: "roles-and-terms",
  title: "1. Roles and terms",
  setup: { options: { nodes: 5, seed: 101, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption:
        "Five servers, all followers (grey) in term 0. A follower never starts anything: it waits to hear from a leader. The ring around each server is its election timer, draining.",
    },
    {
      caption: (s) => {
        const c = inRole(s, "candidate")[0];
        return `Server ${c?.id}'s timer ran out before it heard from any leader, so it became a candidate: it moved to term ${c?.term} and asks the others for their votes. A term is Raft's logical clock: numbered, increasing, each one starting with an election.`;
      },
      until: { test: (s) => inRole(s, "candidate").length > 0, withinMs: 1000, waitingFor: "a timer to run out" },
    },
    {
      caption: (s) => {
        const l = leader(s);
        return `A majority voted for server ${l?.id}: it is the leader of term ${l?.term}, at most one per term. It now sends heartbeats so the followers' timers start over and nobody else stands.`;
      },
      until: { test: (s) => !!leader(s), withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `We crashed leader ${ctx.old}. No heartbeats come any more, so a follower times out and a new term begins: server ${leader(s)?.id} now leads term ${leader(s)?.term}. Terms only go up; a server that sees a higher term adopts it.`,
      actions: (pg, s, ctx) => {
        ctx.old = leader(s).id;
        pg.crash(ctx.old);
      },
      until: { test: (s, ctx) => !!leader(s) && leader(s).id !== ctx.old && maxTerm(s) >= 2, withinMs: 3000, waitingFor: "a new leader" },
    },
  ],
};
