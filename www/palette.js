// Colours and message glyphs shared by the renderers and the legend.

/** Fill and stroke per node role. */
export const ROLE_STYLE = Object.freeze({
  follower: { fill: "#e6ebf2", stroke: "#5b6b82", label: "follower" },
  precandidate: { fill: "#fff4d6", stroke: "#c98a12", label: "pre-candidate" },
  candidate: { fill: "#ffe09a", stroke: "#c27803", label: "candidate" },
  leader: { fill: "#c9f0d6", stroke: "#1f8a4c", label: "leader" },
  down: { fill: "#f1f2f4", stroke: "#b8bec8", label: "crashed" },
});

const TERM_COLORS = [
  "#7aa6d8", "#e6a15c", "#8cc28c", "#d98aa8", "#a99ad6",
  "#d9c45c", "#6fc1bd", "#c9977a", "#9fb0c2",
];

/** The colour that stands for a term (log cells, term badges). */
export function termColor(term) {
  return TERM_COLORS[Math.abs(term) % TERM_COLORS.length];
}

/**
 * Whether a response message says yes: `ok` in a message event (events()), `granted` or
 * `success` in a message in flight (state()).
 */
export function responseOk(m) {
  if (typeof m.ok === "boolean") return m.ok;
  if (typeof m.granted === "boolean") return m.granted;
  if (typeof m.success === "boolean") return m.success;
  return true;
}

/**
 * The glyph kind for a message: one of the keys of GLYPHS. Heartbeats are
 * AppendEntries without entries; responses split into yes and no.
 */
export function glyphKind(m) {
  switch (m.type) {
    case "RequestVote":
      return "vote";
    case "RequestVoteResponse":
      return responseOk(m) ? "voteYes" : "voteNo";
    case "PreVote":
      return "prevote";
    case "PreVoteResponse":
      return responseOk(m) ? "prevoteYes" : "prevoteNo";
    case "AppendEntries":
      return entryCount(m) > 0 ? "append" : "heartbeat";
    case "AppendEntriesResponse":
      return responseOk(m) ? "ack" : "nack";
    case "InstallSnapshot":
      return "snapshot";
    case "InstallSnapshotResponse":
      return "snapshotAck";
    case "TimeoutNow":
      return "timeoutNow";
    default:
      return "heartbeat";
  }
}

/**
 * Number of entries an AppendEntries carries: its `entryCount` (state() gives it, also
 * when `entries` lists only the first few), else whatever shape `entries` has.
 */
export function entryCount(m) {
  if (typeof m.entryCount === "number") return m.entryCount;
  const e = m.entries;
  if (Array.isArray(e)) return e.length;
  if (typeof e === "number") return e;
  return 0;
}

const CHECK = "M-3 0.2l2 2.1 4-4.4";
const CROSS = "M-2.6 -2.6l5.2 5.2M2.6 -2.6l-5.2 5.2";

/**
 * SVG markup for each glyph, centred on (0,0), and the words the legend uses.
 * Shapes differ as well as colours, so the kinds stay apart without colour vision.
 */
export const GLYPHS = Object.freeze({
  vote: {
    label: "RequestVote",
    svg: `<circle r="7" fill="#f0a020" stroke="#9a5b00" stroke-width="1.2"/>`,
  },
  voteYes: {
    label: "vote granted",
    svg: `<circle r="7" fill="#1f8a4c"/><path d="${CHECK}" stroke="#fff" stroke-width="1.8" fill="none"/>`,
  },
  voteNo: {
    label: "vote denied",
    svg: `<circle r="7" fill="#d23c3c"/><path d="${CROSS}" stroke="#fff" stroke-width="1.8" fill="none"/>`,
  },
  prevote: {
    label: "PreVote",
    svg: `<circle r="6.5" fill="#fff" stroke="#c98a12" stroke-width="2.2" stroke-dasharray="3 2"/>`,
  },
  prevoteYes: {
    label: "pre-vote yes",
    svg: `<circle r="6.5" fill="#fff" stroke="#1f8a4c" stroke-width="2.2" stroke-dasharray="3 2"/><path d="${CHECK}" stroke="#1f8a4c" stroke-width="1.6" fill="none"/>`,
  },
  prevoteNo: {
    label: "pre-vote no",
    svg: `<circle r="6.5" fill="#fff" stroke="#d23c3c" stroke-width="2.2" stroke-dasharray="3 2"/><path d="${CROSS}" stroke="#d23c3c" stroke-width="1.6" fill="none"/>`,
  },
  heartbeat: {
    label: "heartbeat",
    svg: `<circle r="4" fill="#2f6fd0"/>`,
  },
  append: {
    label: "AppendEntries with entries",
    svg: `<rect x="-9" y="-7" width="18" height="14" rx="2.5" fill="#2f6fd0"/><text class="glyph-count" y="3.6" text-anchor="middle"></text>`,
  },
  ack: {
    label: "append ok",
    svg: `<path d="M0 -5.5L5.5 0 0 5.5-5.5 0Z" fill="#8db7ef" stroke="#2f6fd0" stroke-width="1.2"/>`,
  },
  nack: {
    label: "append rejected",
    svg: `<path d="M0 -5.5L5.5 0 0 5.5-5.5 0Z" fill="#f3b0b0" stroke="#d23c3c" stroke-width="1.4"/>`,
  },
  snapshot: {
    label: "InstallSnapshot",
    svg: `<rect x="-9" y="-7" width="18" height="14" rx="2.5" fill="#7a4fd0"/><text class="glyph-count" y="3.6" text-anchor="middle">S</text>`,
  },
  snapshotAck: {
    label: "snapshot ack",
    svg: `<path d="M0 -5.5L5.5 0 0 5.5-5.5 0Z" fill="#cdb8f3" stroke="#7a4fd0" stroke-width="1.2"/>`,
  },
  timeoutNow: {
    label: "TimeoutNow",
    svg: `<path d="M1.5 -8L-5 1h4.5L-1.5 8 5 -1H0.5Z" fill="#d0408a"/>`,
  },
});

/** Glyph `kind`'s SVG markup with `count` written into its empty entry-count label. */
export function glyphSvg(kind, count) {
  return GLYPHS[kind].svg.replace('class="glyph-count" y="3.6" text-anchor="middle"></text>', `class="glyph-count" y="3.6" text-anchor="middle">${count}</text>`);
}
