// Break Raft: switch off the §5.4.1 election restriction and watch the checker catch the
// committed entry it lets a stale leader erase.
import { leader, node, entry, names } from "./util.js";

export default {
  id: "break-raft",
  title: "9. Break Raft",
  setup: {
    options: { nodes: 5, seed: 909, preVote: false, checkQuorum: false, faults: { voteWithoutLogCheck: true } },
    speed: 0.05,
  },
  steps: [
    {
      caption: (s) =>
        `This cluster runs a broken Raft: servers grant their vote without the election restriction (§5.4.1), which says to refuse a candidate whose log is less up to date than yours. Server ${leader(s)?.id} leads term ${leader(s)?.term}.`,
      until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `We cut ${names(ctx.stale)} off, then a client writes "x=1". The leader and the two others form a majority, so x=1 is committed at index ${ctx.i}: Raft promises it will never be lost.`,
      actions: (pg, s, ctx) => {
        const l = leader(s).id;
        ctx.l = l;
        const others = s.nodes.map((n) => n.id).filter((id) => id !== l);
        ctx.stale = others.slice(0, 2);
        ctx.keep = others.slice(2);
        pg.partition([[l, ...ctx.keep], ctx.stale]);
        ctx.i = pg.propose("x=1").index;
      },
      until: { test: (s, ctx) => node(s, ctx.l).commitIndex >= ctx.i && ctx.keep.every((id) => entry(node(s, id), ctx.i)), withinMs: 1000, waitingFor: "the commit" },
    },
    {
      caption: (s, ctx) =>
        `Now the leader is cut off and server ${ctx.stale[0]}, which never saw x=1, stands for election with ${names([ctx.stale[1], ctx.keep[0]])} on its side. Server ${ctx.keep[0]} holds x=1 and should refuse the vote, but the broken rule grants it.`,
      actions: (pg, s, ctx) => {
        pg.partition([[ctx.l, ctx.keep[1]], [...ctx.stale, ctx.keep[0]]]);
        pg.timeout(ctx.stale[0]);
      },
      until: { test: (s, ctx) => leader(s)?.id === ctx.stale[0], withinMs: 1000, waitingFor: "the election" },
    },
    {
      caption: (s, ctx) =>
        `Server ${ctx.stale[0]} won, although it lacks x=1, an entry committed in an earlier term: exactly what the election restriction exists to prevent. Its AppendEntries will now overwrite x=1 on server ${ctx.keep[0]}. The safety checker, which watches every step from outside the protocol, caught it at once and paused the simulation: "${(s.violations[0]?.text ?? "").slice(0, 160)}"`,
      until: { test: (s) => s.violations.length > 0, withinMs: 2000, waitingFor: "the checker" },
    },
  ],
};
