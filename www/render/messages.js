// Draws messages in flight, each at (now - sent) / (arrive - sent) along its link,
// with a glyph per kind (see palette.js). Clicking one drops it.
// Test hook: data-message-type and data-message-id on each message's <g>.
//
// This layer changes every frame while the cluster runs (about 200 messages fly with 9
// nodes under load), so it does as little DOM work as it can: a message's <g> is moved
// only when its position changed by a step (half a view unit, about half a pixel); the
// <g> of a delivered message goes back to a pool of its kind and is reused for the next
// message of that kind instead of being parsed and cloned again; and the tooltip
// (<title>) is written only when the pointer enters a message.

import { svgEl, setAttr, setText } from "../dom.js";
import { GLYPHS, glyphKind, entryCount } from "../palette.js";
import { pointAlong, VIEW } from "../geometry.js";

const SIDE = 7;
const RIM = VIEW.nodeRadius + 8;
// Positions are rounded to 1/STEPS of a view unit before they are compared and written.
const STEPS = 2;
// Unused <g>s kept per glyph kind.
const POOL_MAX = 64;
const templates = new Map();

/** A parsed copy of a glyph's markup (hit area included), cloned for each new <g>. */
function glyphTemplate(kind) {
  let t = templates.get(kind);
  if (!t) {
    const g = svgEl("g");
    g.innerHTML = `<circle class="hit" r="12"/>${GLYPHS[kind].svg}`;
    t = document.createDocumentFragment();
    t.append(...g.childNodes);
    templates.set(kind, t);
  }
  return t;
}

/** What the tooltip of message `m` says. */
export function messageTitle(m, kind = glyphKind(m)) {
  return `${GLYPHS[kind].label} ${m.from}→${m.to}, term ${m.term} (click to drop)`;
}

export class MessageLayer {
  /**
   * @param {SVGGElement} root
   * @param {(id:number)=>void} onDrop called when the user clicks a message
   */
  constructor(root, onDrop) {
    this.root = root;
    /** @type {Map<number, object>} message id -> its <g>, glyph kind, message, drawn position and path */
    this.items = new Map();
    /** @type {Map<string, SVGGElement[]>} detached <g>s by glyph kind, ready for reuse */
    this.pool = new Map();
    this.stamp = 0;
    root.addEventListener("click", (e) => {
      const g = e.target.closest?.(".msg");
      if (!g) return;
      e.stopPropagation();
      onDrop(Number(g.getAttribute("data-message-id")));
    });
    root.addEventListener("pointerover", (e) => {
      const g = e.target.closest?.(".msg");
      const it = g && this.items.get(Number(g.getAttribute("data-message-id")));
      if (!it) return;
      let title = g.querySelector("title");
      if (!title) title = svgEl("title", {}, g);
      setText(title, messageTitle(it.m, it.kind));
    });
  }

  #acquire(m, kind) {
    const g = this.pool.get(kind)?.pop() ?? svgEl("g", { class: `msg msg-${kind}` });
    if (!g.firstChild) g.appendChild(glyphTemplate(kind).cloneNode(true));
    setAttr(g, "data-message-id", m.id);
    setAttr(g, "data-message-type", m.type);
    if (kind === "append") setText(g.querySelector(".glyph-count"), entryCount(m));
    this.root.appendChild(g);
    const it = { g, kind, m, x: NaN, y: NaN, seen: 0, ax: NaN, ay: NaN, bx: NaN, by: NaN, x0: 0, y0: 0, dx: 0, dy: 0 };
    this.items.set(m.id, it);
    return it;
  }

  #release(id, it) {
    this.items.delete(id);
    const g = it.g;
    g.remove();
    g.classList.remove("hl");
    g.querySelector("title")?.remove();
    let list = this.pool.get(it.kind);
    if (!list) this.pool.set(it.kind, (list = []));
    if (list.length < POOL_MAX) list.push(g);
  }

  /**
   * @param {object} state Playground.state()
   * @param {Map<number,{x:number,y:number}>} pos
   * @param {number} now simulated time of this frame, ms
   */
  update(state, pos, now) {
    const stamp = ++this.stamp;
    for (const m of state.messages) {
      const a = pos.get(m.from);
      const b = pos.get(m.to);
      if (!a || !b) continue;
      let it = this.items.get(m.id);
      if (!it || it.m !== m) {
        const kind = glyphKind(m);
        if (it && it.kind !== kind) {
          this.#release(m.id, it);
          it = null;
        }
        if (!it) it = this.#acquire(m, kind);
        it.m = m;
      }
      it.seen = stamp;
      if (a.x !== it.ax || a.y !== it.ay || b.x !== it.bx || b.y !== it.by) {
        // The ends of its path, worked out again only when a node moved.
        const p0 = pointAlong(a, b, 0, SIDE, RIM);
        const p1 = pointAlong(a, b, 1, SIDE, RIM);
        Object.assign(it, { ax: a.x, ay: a.y, bx: b.x, by: b.y, x0: p0.x, y0: p0.y, dx: p1.x - p0.x, dy: p1.y - p0.y });
      }
      const span = m.deliverAtMs - m.sentAtMs;
      const f = span > 0 ? Math.min(1, Math.max(0, (now - m.sentAtMs) / span)) : 1;
      const x = Math.round((it.x0 + it.dx * f) * STEPS) / STEPS;
      const y = Math.round((it.y0 + it.dy * f) * STEPS) / STEPS;
      if (x !== it.x || y !== it.y) {
        it.x = x;
        it.y = y;
        it.g.setAttribute("transform", `translate(${x} ${y})`);
      }
    }
    for (const [id, it] of this.items) {
      if (it.seen !== stamp) this.#release(id, it);
    }
  }
}
