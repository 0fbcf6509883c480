// A bounded history of messages and node roles over simulated time, for the
// space-time diagram. Built from the Playground's trace (`events(sinceSeq)`:
// send / deliver / drop with message ids and times) and from `state().messages`,
// which adds what the trace does not say (granted/success, entry counts, arrival
// time of messages still in flight). With no `events` method at all, it falls
// back to watching `state().messages` appear and disappear.
// View state only: nothing here feeds back into the simulation.

import { glyphKind } from "./palette.js";

/** Messages kept, newest by send time; older finished ones are forgotten first. */
export const HISTORY_MESSAGES_MAX = 1500;
/** Role changes kept per node. */
export const HISTORY_ROLES_MAX = 200;

/** The glyph kind for a message known only by its type (no yes/no, no entry count). */
function bareKind(type) {
  switch (type) {
    case "RequestVoteResponse":
      return "voteYes";
    case "PreVoteResponse":
      return "prevoteYes";
    case "AppendEntriesResponse":
      return "ack";
    default:
      return glyphKind({ type });
  }
}

/**
 * One message in the history:
 * `{ id, from, to, type, kind, term, sentAtMs, deliverAtMs, endMs, fate, reason, why? }`
 * where `fate` is "flying", "delivered" or "dropped", `endMs` is when it arrived or
 * was dropped (null while flying) and `deliverAtMs` is the planned arrival if known.
 */
export class MessageHistory {
  constructor() {
    this.clear();
  }

  /** Forget everything (a new Playground, or time went backwards). */
  clear() {
    /** @type {Map<number, object>} id -> message, in insertion order */
    this.messages = new Map();
    /** @type {Map<number, {t:number, role:string, term:number}[]>} node id -> role changes */
    this.roles = new Map();
    this.seq = 0;
    this.timeMs = 0;
    this.pg = null;
    this.version = 0; // bumped whenever something visible changed
  }

  #message(id, from, to, type, t) {
    let m = this.messages.get(id);
    if (!m) {
      m = { id, from, to, type, kind: bareKind(type), term: null, sentAtMs: t, deliverAtMs: null, endMs: null, fate: "flying", reason: null, exact: false };
      this.messages.set(id, m);
    }
    return m;
  }

  #role(node, t, role, term) {
    if (!this.roles.has(node)) this.roles.set(node, []);
    const list = this.roles.get(node);
    const last = list[list.length - 1];
    if (last && last.role === role && last.term === term) return;
    if (last && last.t === t) list.pop();
    list.push({ t, role, term });
    if (list.length > HISTORY_ROLES_MAX) list.splice(0, list.length - HISTORY_ROLES_MAX);
  }

  /**
   * Brings the history up to date with `pg` (a Playground) whose state is `state`.
   * @returns {boolean} whether anything changed
   */
  pull(pg, state) {
    // A new playground, or the same one taken back in time (time travel): start over.
    const seqBack = pg.eventSeq < this.seq;
    if (pg !== this.pg || state.timeMs < this.timeMs || seqBack) {
      this.clear();
      this.pg = pg;
    }
    const before = this.version;
    const first = this.timeMs === 0 && this.messages.size === 0 && this.roles.size === 0;
    this.#pullEvents(pg);
    this.#pullState(state, first);
    this.timeMs = state.timeMs;
    this.#bound();
    return this.version !== before;
  }

  #pullEvents(pg) {
    let evs;
    try {
      evs = pg.events(this.seq);
    } catch {
      return;
    }
    for (const e of evs) {
      this.seq = Math.max(this.seq, (e.seq ?? this.seq) + 1);
      const t = e.timeMs;
      const id = e.messageId;
      switch (e.kind) {
        case "send":
        case "duplicate": {
          if (id === undefined) break;
          const m = this.#message(id, e.nodes[0], e.nodes[1], e.messageType, t);
          m.sentAtMs = Math.min(m.sentAtMs, t);
          if (typeof e.term === "number") m.term = e.term;
          if (e.why) m.why = e.why; // a refused vote's reasons
          if (typeof e.ok === "boolean" || typeof e.entries === "number") {
            m.kind = glyphKind({ type: e.messageType, ok: e.ok, entries: e.entries });
          }
          break;
        }
        case "deliver":
        case "refused":
        case "drop": {
          if (id === undefined) break;
          const m = this.#message(id, e.nodes[0], e.nodes[1], e.messageType, t);
          m.endMs = t;
          if (e.why) m.why = e.why; // a refused vote lost as it was sent
          // A refused message reached its recipient, which rejected it: it ends in an X
          // on the recipient's lane.
          m.fate = e.kind === "deliver" ? "delivered" : "dropped";
          m.reason = e.kind === "refused" ? "refused by the recipient" : e.reason ?? null;
          if (e.kind !== "drop") m.deliverAtMs = t;
          break;
        }
        case "roleChange":
          this.#role(e.nodes[0], t, e.role, e.term);
          break;
        case "crash":
          this.#role(e.nodes[0], t, "down", this.#lastTerm(e.nodes[0]));
          break;
        case "restart":
          this.#role(e.nodes[0], t, "follower", this.#lastTerm(e.nodes[0]));
          break;
        case "termChange": {
          const list = this.roles.get(e.nodes[0]);
          const role = list?.length ? list[list.length - 1].role : "follower";
          this.#role(e.nodes[0], t, role, e.term);
          break;
        }
        default:
          continue;
      }
      this.version++;
    }
  }

  #lastTerm(node) {
    const list = this.roles.get(node);
    return list?.length ? list[list.length - 1].term : 0;
  }

  // In-flight messages: add the ones the trace did not show (no events method, or
  // a trace that forgot them), and learn their exact kind and arrival time. A message
  // that was flying and is no longer in `state.messages` without a trace event
  // arrived if its time had come, and was dropped otherwise.
  #pullState(state, first) {
    const seen = new Set();
    for (const s of state.messages) {
      seen.add(s.id);
      const m = this.#message(s.id, s.from, s.to, s.type, s.sentAtMs);
      if (!m.exact) {
        m.sentAtMs = s.sentAtMs;
        m.deliverAtMs = s.deliverAtMs;
        m.term = s.term;
        m.kind = glyphKind(s);
        m.exact = true;
        this.version++;
      }
    }
    for (const m of this.messages.values()) {
      if (m.fate !== "flying" || seen.has(m.id)) continue;
      if (m.deliverAtMs !== null && m.deliverAtMs <= state.timeMs) {
        m.fate = "delivered";
        m.endMs = m.deliverAtMs;
      } else if (m.exact) {
        m.fate = "dropped";
        m.endMs = state.timeMs;
      } else {
        continue; // heard of by a send event only; its end is still to come in the trace
      }
      this.version++;
    }
    for (const n of state.nodes) {
      const role = n.up === false ? "down" : n.role;
      const list = this.roles.get(n.id);
      const last = list?.length ? list[list.length - 1] : null;
      if (!last || last.role !== role || last.term !== n.term) {
        this.#role(n.id, first || !last ? 0 : state.timeMs, role, n.term);
        this.version++;
      }
    }
  }

  #bound() {
    if (this.messages.size <= HISTORY_MESSAGES_MAX) return;
    let excess = this.messages.size - HISTORY_MESSAGES_MAX;
    for (const [id, m] of this.messages) {
      if (excess <= 0) break;
      if (m.fate === "flying") continue;
      this.messages.delete(id);
      excess--;
    }
  }

  /** Messages that overlap the time window [fromMs, toMs]. */
  *within(fromMs, toMs) {
    for (const m of this.messages.values()) {
      const end = m.endMs ?? toMs;
      if (end >= fromMs && m.sentAtMs <= toMs) yield m;
    }
  }

  /** Role of `node` at time `t`, from the recorded changes. */
  roleAt(node, t) {
    const list = this.roles.get(node);
    if (!list) return null;
    let r = null;
    for (const c of list) {
      if (c.t > t) break;
      r = c;
    }
    return r;
  }
}
