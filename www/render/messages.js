// Draws messages in flight, each at (now - sent) / (arrive - sent) along its link,
// with a glyph per kind (see palette.js). Clicking one drops it; hovering one names it.
//
// About 170 messages fly with 9 nodes under load, every one of them moving every frame,
// so they are painted on the canvas over the cluster SVG (render/canvas.js), not moved
// as SVG elements: this layer works out where each one is and describes the frame (kind,
// position, entry count, highlight), and render/painter.js paints it, in a worker where
// the browser allows. The painted shapes are made from the same markup as the legend's
// SVG glyphs (GLYPHS in palette.js, see glyphParts), so the two cannot drift apart.
//
// The canvas takes no pointer events: the layer listens on the SVG and hit-tests the
// pointer against the positions it drew in the last frame. Nodes are on top, as they
// were when messages were SVG: a pointer on a node is the node's.
//
// Test hooks: each message in flight has a <g class="msg"> with data-message-type and
// data-message-id, in a hidden <div> beside the SVG. They are not rendered, and are added
// and removed as messages come and go, never moved; they carry class "hl" while the message
// is highlighted from the space-time diagram. They are kept out of the SVG on purpose: an
// element added to or removed from it, even inside a display="none" group, invalidates the
// SVG's layout and repaints it, which cost about 3 ms on every frame a message was sent or
// delivered. The SVG's (empty) message group is only where an export draws the glyphs.
// MessageLayer.point(id) (window.playgroundApp.messagePoint) gives where one is drawn.

import { svgEl, placeAt } from "../dom.js";
import { GLYPHS, glyphKind, entryCount, glyphSvg } from "../palette.js";
import { pointAlong, VIEW } from "../geometry.js";

const SIDE = 7;
// Where a message's path starts and ends: just outside the node's ring, in the wide view.
const RIM = VIEW.nodeRadius + 8;
// The radius, in view units, around a message's centre that takes a click or a hover.
export const HIT_R = 12;
// The entry count on an append glyph: the .glyph-count rule of style.css.
export const COUNT_FONT = '700 9.5px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const COUNT_FILL = "#fff";
/** Glyph kinds in the order the painter numbers them. */
export const GLYPH_KINDS = Object.keys(GLYPHS);
const KIND_INDEX = new Map(GLYPH_KINDS.map((k, i) => [k, i]));

/**
 * The parts of a glyph's SVG markup (palette.js GLYPHS), for drawing it on a canvas:
 * [{ tag: "circle" | "path" | "rect" | "text", attrs: {name: value}, text }].
 */
export function glyphParts(svg) {
  const parts = [];
  for (const m of svg.matchAll(/<(circle|path|rect|text)\b([^>]*?)\/?>(?:([^<]*)<\/text>)?/g)) {
    const attrs = {};
    for (const a of m[2].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    parts.push({ tag: m[1], attrs, text: m[1] === "text" ? (m[3] ?? "") : null });
  }
  return parts;
}

/** "1 entry", "3 entries". */
const entriesWords = (n) => `${n} ${n === 1 ? "entry" : "entries"}`;

/** A message in words: "AppendEntries with 2 entries from node 1, term 3". */
export function messageWords(m, kind = glyphKind(m)) {
  const what = kind === "append" ? `AppendEntries with ${entriesWords(entryCount(m))}` : GLYPHS[kind].label;
  return `${what} from node ${m.from}, term ${m.term}`;
}

/**
 * The protocol fields of message `m` that a reader checks against the logs: what a vote
 * request says of the candidate's log, an append's consistency check (the entry before its
 * entries), an answer's match index. "" when there are none.
 */
export function messageDetail(m) {
  switch (m.type) {
    case "RequestVote":
    case "PreVote":
      return `last log ${m.lastLogIndex} (term ${m.lastLogTerm})`;
    case "AppendEntries":
      return `prev ${m.prevLogIndex} (term ${m.prevLogTerm}), ${entriesWords(entryCount(m))}, commit ${m.leaderCommit}`;
    case "AppendEntriesResponse":
      return m.success ? `match ${m.matchIndex}` : "log did not match";
    case "InstallSnapshot":
      return `snapshot to ${m.prevLogIndex} (term ${m.prevLogTerm})`;
    case "InstallSnapshotResponse":
      return `match ${m.matchIndex}`;
    default:
      return "";
  }
}

/** How many of an append's entries the tooltip lists. */
export const TIP_ENTRIES = 4;

/**
 * What the tooltip of message `m` says. `entries`, for an append: its first entries
 * ({ index, term, command, kind }), listed on a third line.
 */
export function messageTitle(m, kind = glyphKind(m), entries = null) {
  const detail = messageDetail(m);
  let text = `${GLYPHS[kind].label} ${m.from}→${m.to}, term ${m.term} (click to drop)${detail ? `\n${detail}` : ""}`;
  if (entries?.length) {
    const shown = entries.slice(0, TIP_ENTRIES).map((e) => `${e.index}: ${e.kind === "noop" ? "no-op" : e.command} (term ${e.term})`);
    if (entryCount(m) > shown.length) shown.push("…");
    text += `\nentries ${shown.join(", ")}`;
  }
  return text;
}

export class MessageLayer {
  /**
   * @param {HTMLElement} root where the (unrendered) hook elements go: a hidden element
   * @param {import("./canvas.js").ClusterCanvas} canvas the canvas over the SVG
   * @param {object} opts
   * @param {(id:number)=>void} opts.onDrop the user clicked message `id`
   * @param {(id:number|null)=>void} [opts.onHover] the pointer moved onto message `id` (or off)
   * @param {HTMLElement} [opts.tip] the tooltip element (positioned over the figure)
   * @param {()=>void} opts.requestDraw asks for a frame (a highlight changed while paused)
   * @param {(id:number)=>object[]|null} [opts.entriesOf] the first entries an append carries
   *   (the frames' snapshot leaves them out), for its tooltip
   */
  constructor(root, canvas, opts) {
    this.root = root;
    this.canvas = canvas;
    this.opts = opts;
    this.tip = opts.tip ?? null;
    /** @type {Map<number, object>} message id -> { g, kind, m, x, y, ends of its path } */
    this.items = new Map();
    this.stamp = 0;
    this.hover = null; // message id under the pointer
    this.linked = null; // message id highlighted from the space-time diagram
    this.pointer = null; // the pointer in view units, while it is over the SVG and no node
    canvas.layers.push(this);

    const svg = canvas.svg;
    const onNode = (e) => !!e.target.closest?.(".node");
    this.listeners = [
      [
        "pointermove",
        (e) => {
          if (e.buttons) return; // a drag (or a press) is under way
          this.pointer = onNode(e) ? null : canvas.toView(e.clientX, e.clientY);
          this.#setHover(this.#hit());
        },
      ],
      [
        "pointerleave",
        () => {
          this.pointer = null;
          this.#setHover(null);
        },
      ],
      [
        "click",
        (e) => {
          if (onNode(e)) return;
          const id = this.#hit(canvas.toView(e.clientX, e.clientY));
          if (id === null) return;
          e.stopPropagation();
          opts.onDrop(id);
        },
      ],
    ];
    for (const [type, f] of this.listeners) svg.addEventListener(type, f);
  }

  /** The id of the message drawn nearest to `p` (view units) within reach, or null. */
  #hit(p = this.pointer) {
    if (!p) return null;
    let best = null;
    // Glyphs are drawn as many times larger as the nodes (canvas.nodeScale).
    let bestD = (HIT_R * this.canvas.nodeScale) ** 2;
    for (const it of this.items.values()) {
      const d = (it.x - p.x) ** 2 + (it.y - p.y) ** 2;
      if (d <= bestD) {
        best = it.id;
        bestD = d;
      }
    }
    return best;
  }

  #setHover(id) {
    if (id === this.hover) return;
    this.hover = id;
    this.canvas.svg.classList.toggle("over-msg", id !== null);
    const it = id === null ? null : this.items.get(id);
    if (this.tip) {
      if (it) {
        this.tip.textContent = messageTitle(it.m, it.kind, entryCount(it.m) ? (this.opts.entriesOf?.(id) ?? null) : null);
        this.tip.hidden = false;
        // Centred under the message, kept inside the figure (which clips what overflows).
        const p = this.canvas.toBox(it.x, it.y);
        const w = this.tip.offsetWidth;
        const room = this.tip.offsetParent?.clientWidth ?? Infinity;
        const left = Math.max(4, Math.min(p.x - w / 2, room - w - 4));
        this.tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(p.y + 14)}px)`;
      }
      this.tip.hidden = !it;
    }
    this.opts.onHover?.(id);
    this.opts.requestDraw();
  }

  /** Highlights message `id` (or none), as the space-time diagram asks. */
  highlight(id) {
    if (id === this.linked) return;
    this.items.get(this.linked)?.g.classList.remove("hl");
    this.linked = id;
    this.items.get(id)?.g.classList.add("hl");
    this.opts.requestDraw();
  }

  /** Where message `id` was drawn in the last frame, in client coordinates; null if it was not. */
  point(id) {
    const it = this.items.get(id);
    return it && Number.isFinite(it.x) ? this.canvas.toClient(it.x, it.y) : null;
  }

  /** Whether a message was drawn in the last frame with its centre within r of (x, y). */
  drawnNear(x, y, r) {
    const r2 = r * r;
    for (const it of this.items.values()) if ((it.x - x) ** 2 + (it.y - y) ** 2 < r2) return true;
    return false;
  }

  /**
   * @param {object} state Playground.state()
   * @param {Map<number,{x:number,y:number}>} pos
   * @param {number} now simulated time of this frame, ms
   * @param {object|null} frame the canvas's frame (ClusterCanvas.begin()), or null
   */
  update(state, pos, now, frame) {
    const stamp = ++this.stamp;
    const rim = RIM * this.canvas.nodeScale;
    for (const m of state.messages) {
      const a = pos.get(m.from);
      const b = pos.get(m.to);
      if (!a || !b) continue;
      let it = this.items.get(m.id);
      if (it && it.m !== m && (it.m.type !== m.type || glyphKind(m) !== it.kind)) {
        // Another message under an old id (the playground was reset).
        it.g.remove();
        this.items.delete(m.id);
        it = null;
      }
      if (!it) {
        const kind = glyphKind(m);
        const g = svgEl("g", { class: `msg msg-${kind}`, "data-message-id": m.id, "data-message-type": m.type }, this.root);
        if (m.id === this.linked) g.classList.add("hl");
        it = { id: m.id, g, kind, m, x: NaN, y: NaN, seen: 0, ax: NaN, ay: NaN, bx: NaN, by: NaN, rim: 0, x0: 0, y0: 0, dx: 0, dy: 0 };
        this.items.set(m.id, it);
      }
      it.m = m;
      it.seen = stamp;
      if (a.x !== it.ax || a.y !== it.ay || b.x !== it.bx || b.y !== it.by || rim !== it.rim) {
        // The ends of its path, worked out again only when a node moved (or the view turned).
        const p0 = pointAlong(a, b, 0, SIDE, rim);
        const p1 = pointAlong(a, b, 1, SIDE, rim);
        Object.assign(it, { ax: a.x, ay: a.y, bx: b.x, by: b.y, rim, x0: p0.x, y0: p0.y, dx: p1.x - p0.x, dy: p1.y - p0.y });
      }
      const span = m.deliverAtMs - m.sentAtMs;
      const f = span > 0 ? Math.min(1, Math.max(0, (now - m.sentAtMs) / span)) : 1;
      it.x = it.x0 + it.dx * f;
      it.y = it.y0 + it.dy * f;
    }
    for (const it of this.items.values()) {
      if (it.seen !== stamp) {
        it.g.remove();
        this.items.delete(it.id);
      }
    }
    // Messages move under a pointer that stays put.
    if (this.pointer) this.#setHover(this.#hit());
    else if (this.hover !== null && !this.items.has(this.hover)) this.#setHover(null);
    if (frame) this.#describe(frame);
  }

  /** Writes the messages into the frame: kind, position, entry count, highlight. */
  #describe(frame) {
    const a = this.canvas.messages(this.items.size);
    let i = 0;
    for (const it of this.items.values()) {
      a[i] = KIND_INDEX.get(it.kind);
      a[i + 1] = it.x;
      a[i + 2] = it.y;
      a[i + 3] = it.kind === "append" ? entryCount(it.m) : 0;
      a[i + 4] = it.id === this.linked ? 2 : it.id === this.hover ? 1 : 0;
      i += 5;
    }
    frame.msgs = a;
    frame.n = this.items.size;
  }

  /** Adds the messages as drawn in the last frame, as SVG glyphs, to `copy` (an export). */
  exportInto(copy) {
    const group = copy.querySelector('[data-ref="messages"]');
    if (!group) return;
    let markup = "";
    for (const it of this.items.values()) {
      if (!Number.isFinite(it.x)) continue;
      const count = it.kind === "append" ? String(entryCount(it.m)) : "";
      const glyph = glyphSvg(it.kind, count);
      markup += `<g class="msg msg-${it.kind}" data-message-id="${it.id}" data-message-type="${it.m.type}" transform="${placeAt(it, this.canvas.nodeScale)}">${glyph}</g>`;
    }
    group.innerHTML = markup;
  }

  destroy() {
    for (const [type, f] of this.listeners) this.canvas.svg.removeEventListener(type, f);
  }
}
