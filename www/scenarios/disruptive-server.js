// A server cut off for a while comes back with a high term and disrupts the cluster
// (thesis §9.6); the PreVote tour shows the fix.
import { leader, node, maxTerm } from "./util.js";

export function disruptive(preVote) {
  return {
    id: preVote ? "prevote" : "disruptive-server",
    title: preVote ? "8b. PreVote stops the disruption" : "8. A disruptive server",
    setup: { options: { nodes: 5, seed: 808, preVote, checkQuorum: false }, speed: 0.05 },
    steps: [
      {
        caption: (s) =>
          `Server ${leader(s)?.id} leads term ${leader(s)?.term}. ${preVote ? "This time every server runs PreVote: before raising its term, a server asks whether the others would vote for it." : "PreVote is off."}`,
        until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
      },
      {
        caption: (s, ctx) =>
          preVote
            ? `Follower ${ctx.x} is cut off. It times out, but its pre-vote requests reach nobody, so it stays in term ${node(s, ctx.x).term}: a term only rises after a majority says it would vote.`
            : `Follower ${ctx.x} is cut off. It hears no leader, times out and starts elections it cannot win, again and again: it is at term ${node(s, ctx.x).term} while the cluster is still at term ${ctx.term}.`,
        actions: (pg, s, ctx) => {
          const l = leader(s);
          ctx.term = l.term;
          ctx.leader = l.id;
          ctx.x = s.nodes.find((n) => n.id !== l.id).id;
          ctx.t0 = s.timeMs + 1500;
          pg.partition([[ctx.x], s.nodes.filter((n) => n.id !== ctx.x).map((n) => n.id)]);
        },
        until: preVote
          ? { test: (s, ctx) => s.timeMs >= ctx.t0, withinMs: 3000, waitingFor: "a few timeouts" }
          : { test: (s, ctx) => node(s, ctx.x).term >= ctx.term + 3, withinMs: 5000, waitingFor: "its term to climb" },
      },
      {
        caption: (s, ctx) =>
          preVote
            ? `Reconnected. Its term was never raised, so nothing happens: leader ${leader(s)?.id} keeps term ${leader(s)?.term}, and server ${ctx.x} simply catches up as a follower.`
            : `Reconnected. Its messages carry term ${ctx.high}, higher than the leader's ${ctx.term}, so leader ${ctx.leader} stepped down, and the cluster had to hold a new election (term ${maxTerm(s)}, won by server ${leader(s)?.id}) for nothing: the cluster was healthy. Tour 8b shows the fix.`,
        actions: (pg, s, ctx) => {
          ctx.high = node(s, ctx.x).term;
          ctx.healedAt = s.timeMs;
          pg.heal();
        },
        until: preVote
          ? { test: (s, ctx) => node(s, ctx.x).role === "follower" && node(s, ctx.x).commitIndex === node(s, ctx.leader).commitIndex && s.timeMs >= ctx.healedAt + 500, withinMs: 3000, waitingFor: "the server to catch up" }
          : { test: (s, ctx) => !!leader(s) && leader(s).term > ctx.high - 1 && leader(s).term > ctx.term, withinMs: 3000, waitingFor: "the disruption" },
      },
    ],
  };
}

export default disruptive(false);
