// Network partition (§5.4, §6): the minority cannot commit; the majority elects a leader; heal.
import { leader, leaders, node, indexOf } from "./util.js";

const sameLogs = (s) => new Set(s.nodes.map((n) => JSON.stringify(n.log.map((e) => [e.index, e.term, e.command])))).size === 1;

export default {
  id: "partition",
  title: "6. Network partition",
  setup: { options: { nodes: 5, seed: 606, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption: (s) => `Server ${leader(s)?.id} leads term ${leader(s)?.term}.`,
      until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `We cut leader ${ctx.old} off from the others (you can do this by dragging a node out of the circle). It does not know: it still believes it leads term ${ctx.term}.`,
      actions: (pg, s, ctx) => {
        const l = leader(s);
        ctx.old = l.id;
        ctx.term = l.term;
        pg.partition([[l.id], s.nodes.filter((n) => n.id !== l.id).map((n) => n.id)]);
      },
    },
    {
      caption: (s, ctx) =>
        `A client sends "x=2" to the old leader ${ctx.old}. It appends the entry, but its AppendEntries reach nobody: without a majority the entry stays uncommitted (dashed), and the client gets no answer.`,
      actions: (pg, s, ctx) => {
        ctx.stranded = pg.propose("x=2", ctx.old).index;
      },
      until: { test: (s, ctx) => leaders(s).some((l) => l.id !== ctx.old), withinMs: 3000, waitingFor: "the majority side" },
    },
    {
      caption: (s, ctx) =>
        `The other four stopped hearing heartbeats; one timed out and won term ${leader(s)?.term} with votes from the majority side: server ${leader(s)?.id} leads there. Two servers believe they lead, in different terms.`,
    },
    {
      caption: (s, ctx) =>
        `A client sends "x=3" to the new leader ${ctx.fresh}: it reaches a majority and is committed. Only the side with a majority can commit; the old leader's "x=2" is still dangling.`,
      actions: (pg, s, ctx) => {
        const r = pg.propose("x=3");
        ctx.fresh = r.leader;
        ctx.i = r.index;
      },
      until: { test: (s, ctx) => node(s, ctx.fresh).commitIndex >= ctx.i, withinMs: 1000, waitingFor: "the commit" },
    },
    {
      caption: (s, ctx) =>
        `Healed. Server ${ctx.old} saw the higher term ${leader(s)?.term} and stepped down; the new leader's AppendEntries overwrote its uncommitted "x=2". All logs agree again, and "x=2" is gone: it was never committed, so no client was told it succeeded.`,
      actions: (pg) => pg.heal(),
      until: {
        test: (s, ctx) => node(s, ctx.old).role === "follower" && indexOf(node(s, ctx.old), "x=2") === 0 && sameLogs(s) && s.nodes.every((n) => n.commitIndex === node(s, ctx.fresh).commitIndex),
        withinMs: 2000,
        waitingFor: "the logs to converge",
      },
    },
  ],
};
