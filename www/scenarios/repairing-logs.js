// Repairing logs (§5.3): a follower that missed entries and one with conflicting
// entries; the consistency check fails, nextIndex backs off, conflicts are overwritten.
import { leader, node, inFlight, names } from "./util.js";

const logOf = (n) => JSON.stringify(n.log.map((e) => [e.index, e.term, e.command]));

/** Refusals (failed consistency checks) sent to `leader` since trace event `seq`, by sender. */
function refusals(pg, seq, leader) {
  const by = {};
  for (const e of pg.events(seq)) {
    if (e.kind === "send" && e.messageType === "AppendEntriesResponse" && e.ok === false && e.nodes[1] === leader) {
      by[e.nodes[0]] = (by[e.nodes[0]] ?? 0) + 1;
    }
  }
  return by;
}

const times = (n) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

export function repairing(fast) {
  return {
  id: fast ? "conflict-hint" : "repairing-logs",
  title: fast ? "5b. Repairing logs faster: the conflict hint" : "5. Missing and conflicting entries",
  setup: { options: { nodes: 5, seed: 505, preVote: false, checkQuorum: false, fastBacktrack: fast }, speed: 0.05 },
  steps: [
    {
      caption: (s) => `Server ${leader(s)?.id} leads term ${leader(s)?.term}.`,
      until: { test: (s) => !!leader(s) && leader(s).commitIndex >= 1, withinMs: 2000, waitingFor: "a leader" },
    },
    {
      caption: (s, ctx) =>
        `Trouble: follower ${ctx.missed} crashed, and leader ${ctx.old} was cut off just as it took four requests, p, q, r and s. It cannot commit them: they sit in its log only, in term ${ctx.term}.`,
      actions: (pg, s, ctx) => {
        const l = leader(s);
        ctx.old = l.id;
        ctx.term = l.term;
        const rest = s.nodes.map((n) => n.id).filter((id) => id !== l.id);
        ctx.missed = rest[0];
        pg.crash(ctx.missed);
        pg.partition([[l.id], rest]);
        for (const c of ["p", "q", "r", "s"]) pg.propose(c, l.id);
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
        `Leader ${ctx.fresh} committed t, u, v, w, x, y and z with the two others. Now server ${ctx.missed} lacks entries, and server ${ctx.old} has conflicting ones (p, q, r, s from term ${ctx.term}) at the same indexes.`,
      actions: (pg, s, ctx) => {
        for (const c of ["t", "u", "v", "w", "x", "y", "z"]) ctx.last = pg.propose(c).index;
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
        return `We restart ${ctx.missed} and heal the network. Leader ${ctx.fresh} sends AppendEntries with the index and term of the entry just before the new ones. The consistency check fails at ${names(nacks.length ? nacks : [ctx.missed, ctx.old])}: ${nacks.length > 1 ? "their logs do" : "its log does"} not hold that entry, so the answer is a refusal (a red cross). The event log says where each log parts from the leader's.`;
      },
      actions: (pg, s, ctx) => {
        ctx.seq = pg.eventSeq;
        pg.restart(ctx.missed);
        pg.heal();
      },
      until: { test: (s, ctx) => inFlight(s, "AppendEntriesResponse").some((m) => m.success === false && m.to === ctx.fresh), withinMs: 1000, waitingFor: "a refusal" },
    },
    {
      caption: (s, ctx) => {
        const r = ctx.refused;
        const counts = `Server ${ctx.missed} refused ${times(r[ctx.missed] ?? 0)} and server ${ctx.old} ${times(r[ctx.old] ?? 0)}.`;
        return fast
          ? `${counts} Each refusal carries a hint: the term of the follower's conflicting entry and the first index it holds for that term (or just its last index), so the leader moves nextIndex (the ▲ in the logs panel) back a whole term per round trip (§5.3, end). Server ${ctx.old}'s p, q, r and s were overwritten (the event log says which entries it deleted), ${ctx.missed} got what it missed: every log is the same again.`
          : `${counts} After each refusal the leader moves nextIndex for that follower (the ▲ in the logs panel) back by one entry and tries again, until the logs match; then the follower deletes its conflicting entries and appends the leader's. Server ${ctx.old}'s p, q, r and s were overwritten (the event log says which entries it deleted), ${ctx.missed} got what it missed. Tour 5b does the same with the conflict hint.`;
      },
      until: { test: (s) => new Set(s.nodes.map(logOf)).size === 1 && s.nodes.every((n) => n.commitIndex === s.nodes[0].commitIndex), withinMs: 3000, waitingFor: "the logs to converge" },
      after: (pg, s, ctx) => {
        ctx.refused = refusals(pg, ctx.seq, ctx.fresh);
      },
    },
  ],
  };
}

export default repairing(false);
