// The event log: what happened, in plain words, newest first. The list sits in an
// aria-live region (role="log", layout.js) so screen readers hear elections and commits;
// it scrolls, so it takes the keyboard focus too.
// Events come from Playground.events(sinceSeq), user actions included.

const MAX_ITEMS = 120;
/**
 * Unread events after which a frame that shows nothing still reads them: the page's
 * playground keeps the newest 1000 (runlog.js), and a fast, busy cluster makes hundreds
 * between two shown frames.
 */
const BACKLOG_MAX = 300;

/**
 * Decides whether a trace event goes into the log, and how it is styled. Message
 * traffic (sent, delivered, dropped) would flood the panel: the cluster view shows it.
 * Two kinds of answer are the exceptions, with the answering server's reasons: votes (who
 * voted for whom decides an election) and refused appends (the consistency check failing,
 * which is how a leader finds where a follower's log parts from its own, §5.3). A reader
 * who cannot see the cluster view hears them here. An answer is told when it is sent, or
 * dropped as it was sent (`told`: the ids of answers told and still flying). Under load,
 * pipelined appends overtake one another and followers refuse the early arrivals: that is
 * told once per follower, leader and term (`told` keeps a key for it), or it would bury
 * the rest. Pre-votes are not told: the candidate's "won the pre-vote" line sums them up.
 * Of the commits, only the leader's are told; followers follow.
 * @param {Set<number|string>} [told]
 */
export function classify(e, state, told = new Set()) {
  const text = e.text;
  const kind = e.kind.toLowerCase();
  const say = (k) => ({ text: text || kind, kind: k });
  const vote = e.messageType === "RequestVoteResponse";
  if ((vote || (e.messageType === "AppendEntriesResponse" && e.ok === false)) && typeof e.ok === "boolean") {
    const sent = kind === "send";
    // A copy the network made of an answer told: its end says nothing new either.
    if (kind === "duplicate") {
      told.add(e.messageId);
      return null;
    }
    // Dropped on the way (it was told when sent), or delivered: nothing more to say.
    if (!sent && (kind !== "drop" || told.delete(e.messageId))) {
      told.delete(e.messageId);
      return null;
    }
    if (sent) told.add(e.messageId);
    const [by, to] = e.nodes;
    const why = e.why ? `: ${e.why}` : "";
    const lost = sent ? "" : ` (the answer was ${e.reason === "lost" ? "lost" : `dropped: ${e.reason}`})`;
    if (!vote) {
      let more = "";
      if (e.overtaken) {
        const key = `overtaken ${by}>${to}@${e.term}`;
        if (told.has(key)) return null;
        told.add(key);
        more = `. Later ones like it in term ${e.term} are not listed`;
      }
      return { text: `node ${by} refused leader ${to}'s AppendEntries${why}${lost}${more}`, kind: "refused" };
    }
    return e.ok
      ? { text: `node ${by} voted for node ${to} in term ${e.term}${lost}`, kind: "vote" }
      : { text: `node ${by} denied node ${to} its vote in term ${e.term}${why}${lost}`, kind: "refused" };
  }
  if (/^(send|deliver|duplicate|drop|refused|tick|networkchanged|termchange)$/.test(kind)) return null;
  if (kind === "violation") return say("violation");
  if (kind === "commit") {
    const id = e.nodes[0];
    const n = state.nodes.find((x) => x.id === id);
    return n && n.role === "leader" ? say("commit") : null;
  }
  if (/became leader/.test(text)) return say("leader");
  if (/timed out|pre-votes|starts election/.test(text)) return say("election");
  if (/crash|restart|partition|heal|forced|timer was set|appended|link/.test(text)) return say("user");
  return say("");
}

function fmtTime(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}

export class EventLog {
  /** @param {HTMLOListElement} list */
  constructor(list) {
    this.list = list;
    this.seq = 0;
    this.seenEventSeq = -1;
    /** Items read but not shown yet, oldest first. */
    this.waiting = [];
    /** Answers told and still flying (see classify). */
    this.told = new Set();
  }

  /** Forget everything (after a reset). */
  clear() {
    this.list.replaceChildren();
    this.seq = 0;
    this.seenEventSeq = -1;
    this.waiting = [];
    this.told.clear();
  }

  /**
   * Adds one line. `kind` becomes a class (for colour): "user", "leader", "violation", ...
   * The same line again, with nothing in between (a button pressed while it cannot work),
   * counts up on the line already there, "(×3)", and takes the newer time.
   */
  add(text, timeMs, kind = "") {
    this.#flush();
    const top = this.list.firstElementChild;
    if (top && top.dataset.said === text) {
      const times = Number(top.dataset.times ?? 1) + 1;
      top.dataset.times = times;
      top.firstChild.textContent = fmtTime(timeMs);
      let count = top.querySelector(".ev-times");
      if (!count) {
        count = document.createElement("span");
        count.className = "ev-times";
        top.append(" ", count);
      }
      count.textContent = `(×${times})`;
      return;
    }
    const li = this.#item(text, timeMs, kind);
    li.dataset.said = text;
    this.list.prepend(li);
    this.#trim();
  }

  /** Shows the items read but not shown yet (newest first, as add() does one at a time). */
  #flush() {
    if (!this.waiting.length) return;
    this.list.prepend(...this.waiting.reverse());
    this.waiting = [];
    this.#trim();
  }

  #item(text, timeMs, kind) {
    const li = document.createElement("li");
    if (kind) li.className = `ev-${kind}`;
    const t = document.createElement("time");
    t.textContent = fmtTime(timeMs);
    li.append(t, " ", text);
    return li;
  }

  #trim() {
    let n = this.list.childElementCount;
    while (n-- > MAX_ITEMS) this.list.lastElementChild.remove();
  }

  /**
   * Pulls new events from the playground. With `show` false
   * (a running cluster's frame that panelclock.js did not pick) nothing is written: events
   * are read only if the playground's bounded trace might otherwise drop them before the
   * next shown frame, and kept until then. What a shown frame adds is one DOM write: one
   * style and layout pass for all that happened since, and a screen reader hears the live
   * region change at a pace it can follow.
   */
  pull(pg, state, show = true) {
    // state.eventSeq (the next event's number) moves whenever something happened:
    // otherwise there is nothing to ask.
    const known = state.eventSeq !== undefined;
    const fresh = !known || state.eventSeq !== this.seenEventSeq;
    if (fresh && (show || !known || state.eventSeq - this.seq > BACKLOG_MAX)) {
      if (known) this.seenEventSeq = state.eventSeq;
      this.#read(pg, state);
    }
    if (show) this.#flush();
  }

  #read(pg, state) {
    let evs;
    try {
      evs = pg.events(this.seq);
    } catch {
      evs = [];
    }
    if (!evs || !evs.length) return;
    for (const e of evs.slice(-4 * MAX_ITEMS)) {
      const shown = classify(e, state, this.told);
      if (shown) this.waiting.push(this.#item(shown.text, e.timeMs, shown.kind));
    }
    if (this.waiting.length > MAX_ITEMS) this.waiting.splice(0, this.waiting.length - MAX_ITEMS);
    if (this.told.size > 1000) this.told.clear(); // answers whose end was never read
    this.seq = evs[evs.length - 1].seq + 1;
  }
}
