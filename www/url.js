// Reads and writes the setup in the query string, so a link reproduces it:
// ?seed=42&nodes=5&prevote=1&checkquorum=1&speed=0.01&loss=0.05&latency=20&embed=1
// &faults=voteWithoutLogCheck,commitOldTermByCount (deliberately broken Raft, for teaching)

/** Defaults of the page (Playground options are left to the wasm side unless set). */
export const DEFAULTS = Object.freeze({ nodes: 5, speed: 0.025, preVote: true, checkQuorum: true, loss: 0, latency: 20 });

/** The deliberately unsafe protocol faults the Playground knows (option `faults`). */
export const FAULT_NAMES = Object.freeze([
  "voteWithoutLogCheck",
  "commitOldTermByCount",
  "forgetVoteOnRestart",
  "skipConsistencyCheck",
  "leaderIgnoresHigherTerm",
]);

const num = (v) => (v === null || v === "" ? NaN : Number(v));

/**
 * Parses a query string into page settings. Bad values fall back to defaults
 * and are reported in `problems`, so a mangled link never kills the page.
 */
export function parseQuery(search) {
  const q = new URLSearchParams(search);
  const s = { ...DEFAULTS, seed: null, embed: false, faults: [], problems: [] };
  // "ignored nodes=12 (a whole number from 3 to 9)": what was asked for and what would do.
  // A long value is cut: the page shows these, and a link can hold anything.
  const cut = (v) => (v.length > 24 ? `${v.slice(0, 23)}…` : v);
  const bad = (k, want) => s.problems.push(`ignored ${k}=${cut(q.get(k))} (${want})`);
  if (q.has("seed")) {
    const v = num(q.get("seed"));
    if (Number.isSafeInteger(v) && v >= 0) s.seed = v;
    else bad("seed", "a whole number, 0 or more");
  }
  if (q.has("nodes")) {
    const v = num(q.get("nodes"));
    if (Number.isInteger(v) && v >= 3 && v <= 9) s.nodes = v;
    else bad("nodes", "a whole number from 3 to 9");
  }
  if (q.has("speed")) {
    const v = num(q.get("speed"));
    if (v >= 0.001 && v <= 1) s.speed = v;
    else bad("speed", "from 0.001 to 1");
  }
  if (q.has("loss")) {
    const v = num(q.get("loss"));
    if (v >= 0 && v <= 0.5) s.loss = v;
    else bad("loss", "from 0 to 0.5");
  }
  if (q.has("latency")) {
    const v = num(q.get("latency"));
    if (v >= 1 && v <= 1000) s.latency = v;
    else bad("latency", "from 1 to 1000 ms");
  }
  for (const [k, key] of [["prevote", "preVote"], ["checkquorum", "checkQuorum"]]) {
    if (!q.has(k)) continue;
    const v = q.get(k);
    if (v === "1" || v === "true") s[key] = true;
    else if (v === "0" || v === "false") s[key] = false;
    else bad(k, "1 or 0");
  }
  if (q.has("faults")) {
    for (const f of q.get("faults").split(",").filter(Boolean)) {
      if (FAULT_NAMES.includes(f) && !s.faults.includes(f)) s.faults.push(f);
      else s.problems.push(`ignored fault ${cut(f)} (${s.faults.includes(f) ? "named twice" : "not a known fault"})`);
    }
  }
  s.embed = q.get("embed") === "1" || q.get("embed") === "true";
  return s;
}

/** The query string for settings `s` (only what differs from the defaults, seed always). */
export function toQuery(s) {
  const q = new URLSearchParams();
  if (s.seed !== null && s.seed !== undefined) q.set("seed", String(s.seed));
  if (s.nodes !== DEFAULTS.nodes) q.set("nodes", String(s.nodes));
  if (s.preVote !== DEFAULTS.preVote) q.set("prevote", s.preVote ? "1" : "0");
  if (s.checkQuorum !== DEFAULTS.checkQuorum) q.set("checkquorum", s.checkQuorum ? "1" : "0");
  if (s.speed !== DEFAULTS.speed) q.set("speed", String(+s.speed.toPrecision(3)));
  if (s.loss) q.set("loss", String(s.loss));
  if (s.latency !== DEFAULTS.latency) q.set("latency", String(s.latency));
  if (s.faults && s.faults.length) q.set("faults", s.faults.join(","));
  if (s.embed) q.set("embed", "1");
  const str = q.toString();
  return str ? `?${str}` : "";
}

/** Turns page settings into Playground constructor options. */
export function playgroundOptions(s) {
  const o = { nodes: s.nodes, preVote: s.preVote, checkQuorum: s.checkQuorum };
  if (s.seed !== null && s.seed !== undefined) o.seed = s.seed;
  if (s.loss) o.lossRatio = s.loss;
  if (s.latency) o.latencyMs = [Math.max(1, Math.round(s.latency * 0.5)), Math.round(s.latency * 1.5)];
  if (s.faults && s.faults.length) o.faults = Object.fromEntries(s.faults.map((f) => [f, true]));
  return o;
}
