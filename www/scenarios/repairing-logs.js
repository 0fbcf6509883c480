// Repairing logs (§5.3): a follower that missed entries and one with conflicting
// entries; the consistency check fails, nextIndex backs off, conflicts are overwritten.
import { leader, node, inFlight, names } from "./util.js";

const logOf = (n) => JSON.stringify(n.log.map((e) => [e.index, e.term, e.command]));

export default {
  id: "repairing-logs",
  title: "5. Missing and conflicting entries",
  setup: { options: { nodes: 5, seed: 505, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption: (s) => `Server ${leader(s)?.id} leads term ${leader(s)?.term}.`,
      until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `Trouble: follower ${ctx.missed} crashed, and leader ${ctx.old} was cut off just as it took two requests, p and q. It cannot commit them: they sit in its log only, in term ${ctx.term}.`,
      actions: (pg, s, ctx) => {
        const l = leader(s);
        ctx.old = l.id;
        ctx.term = l.term;
        const rest = s.nodes.map((n) => n.id).filter((id) => id !== l.id);
        ctx.missed = rest[0];
        pg.crash(ctx.missed);
        pg.partition([[l.id], rest]);
        pg.propose("p", l.id);
        pg.propose("q", l.id);
      },
    },
    {
      caption: (s, ctx) => `The three servers still connected elected ${ctx.fresh} for term ${node(s, ctx.fresh).term}.`,
      until: { test: (s, ctx) => !!leader(s) && leader(s).id !== ctx.old && leader(s).commitIndex >= 2, withinMs: 4000, waitingFor: "a new leader" },
      after: (pg, s, ctx) => {
        ctx.fresh = leader(s).id;
      },
    },
    {
      caption: (s, ctx) =>
        `Leader ${ctx.fresh} committed x, y and z with the two others. Now server ${ctx.missed} lacks entries, and server ${ctx.old} has conflicting ones (p, q from term ${ctx.term}) at the same indexes.`,
      actions: (pg, s, ctx) => {
        for (const c of ["x", "y", "z"]) ctx.last = pg.propose(c).index;
      },
      until: { test: (s, ctx) => node(s, ctx.fresh).commitIndex >= ctx.last, withinMs: 1000, waitingFor: "the commits" },
    },
    {
      caption: (s, ctx) =>
        `Leadership changes once more: server ${ctx.m} forced an election and leads term ${node(s, ctx.m).term}. A new leader is optimistic: it sets nextIndex, the next entry it will send each follower, to just past its own last entry.`,
      actions: (pg, s, ctx) => {
        ctx.m = s.nodes.find((n) => n.up && n.id !== ctx.fresh && n.id !== ctx.old).id;
        pg.timeout(ctx.m);
      },
      until: { test: (s, ctx) => leader(s)?.id === ctx.m && node(s, ctx.m).commitIndex === node(s, ctx.m).log.at(-1).index, withinMs: 1000, waitingFor: "the new leader" },
      after: (pg, s, ctx) => {
        ctx.fresh = ctx.m;
      },
    },
    {
      caption: (s, ctx) => {
        const nacks = inFlight(s, "AppendEntriesResponse").filter((m) => m.success === false && m.to === ctx.fresh).map((m) => m.from);
        return `We restart ${ctx.missed} and heal the network. Leader ${ctx.fresh} sends AppendEntries with the index and term of the entry just before the new ones. The consistency check fails at ${names(nacks.length ? nacks : [ctx.missed, ctx.old])}: ${nacks.length > 1 ? "their logs do" : "its log does"} not hold that entry, so the answer is a refusal (a red cross).`;
      },
      actions: (pg, s, ctx) => {
        pg.restart(ctx.missed);
        pg.heal();
      },
      until: { test: (s, ctx) => inFlight(s, "AppendEntriesResponse").some((m) => m.success === false && m.to === ctx.fresh), withinMs: 1000, waitingFor: "a refusal" },
    },
    {
      caption: (s, ctx) =>
        `On each refusal the leader moves its nextIndex for that follower back (the ▲ in the logs panel) and tries again. Basic Raft steps back one entry per round trip; here the refusal carries a hint (the follower's conflicting term and where it starts), so one round trip skips a whole term. Server ${ctx.old}'s p and q were overwritten, ${ctx.missed} got what it missed: every log is the same again.`,
      until: { test: (s) => new Set(s.nodes.map(logOf)).size === 1 && s.nodes.every((n) => n.commitIndex === s.nodes[0].commitIndex), withinMs: 2000, waitingFor: "the logs to converge" },
    },
  ],
};
