// Split vote (§5.2): two candidates in the same term split the votes; a random retry wins.
import { leader, node, inFlight, maxTerm } from "./util.js";

export default {
  id: "split-vote",
  title: "3. Split vote",
  setup: { options: { nodes: 4, seed: 305, preVote: false, checkQuorum: false }, speed: 0.05 },
  steps: [
    {
      caption:
        "Four servers: a majority is 3. What if two followers time out at the same moment? We make servers 1 and 2 time out together.",
    },
    {
      caption:
        "Servers 1 and 2 are both candidates in term 1, each with its own vote. We also dropped two requests (1 to 4, 2 to 3) to split the rest evenly: server 3 hears from 1 first, server 4 from 2.",
      actions: (pg) => {
        pg.timeout(1);
        pg.timeout(2);
        const s = pg.state();
        for (const m of [...inFlight(s, "RequestVote", 1, 4), ...inFlight(s, "RequestVote", 2, 3)]) pg.dropMessage(m.id);
      },
    },
    {
      caption: (s) =>
        `Server 3 voted for ${node(s, 3).votedFor}, server 4 for ${node(s, 4).votedFor}, and 1 and 2 refused each other: they have already voted for themselves. Two votes each, no majority: nobody wins term 1.`,
      until: {
        test: (s) => node(s, 3).votedFor !== null && node(s, 4).votedFor !== null && inFlight(s, "RequestVoteResponse").length === 0 && inFlight(s, "RequestVote").length === 0,
        withinMs: 500,
        waitingFor: "the votes",
      },
    },
    {
      caption: (s) => {
        const c = s.nodes.find((n) => n.term === maxTerm(s) && n.role === "candidate") ?? s.nodes.find((n) => n.term === maxTerm(s));
        return `The candidates wait for new, random, election timeouts. Server ${c.id} times out first and starts term ${c.term}, with no rival this time.`;
      },
      until: { test: (s) => maxTerm(s) >= 2, withinMs: 2000, waitingFor: "a new timeout" },
    },
    {
      caption: (s) =>
        `Server ${leader(s)?.id} wins term ${leader(s)?.term}. Randomized timeouts make repeated splits unlikely: a split costs one more timeout, not a stuck cluster.`,
      until: { test: (s) => !!leader(s), withinMs: 2000, waitingFor: "a leader" },
    },
  ],
};
