// Draws messages in flight, each at (now - sent) / (arrive - sent) along its link,
// with a glyph per kind (see palette.js). Clicking one drops it.
// Test hook: data-message-type on each message's <g>.

import { svgEl, setAttr, setText } from "../dom.js";
import { GLYPHS, glyphKind, entryCount } from "../palette.js";
import { pointAlong, VIEW } from "../geometry.js";

const SIDE = 7;
const templates = new Map();

/** A parsed copy of a glyph's markup (hit area included), cloned for each message. */
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
const RIM = VIEW.nodeRadius + 8;

export class MessageLayer {
  /**
   * @param {SVGGElement} root
   * @param {(id:number)=>void} onDrop called when the user clicks a message
   */
  constructor(root, onDrop) {
    this.root = root;
    /** @type {Map<number, {g:SVGGElement, kind:string}>} */
    this.items = new Map();
    root.addEventListener("click", (e) => {
      const g = e.target.closest?.(".msg");
      if (!g) return;
      e.stopPropagation();
      onDrop(Number(g.getAttribute("data-message-id")));
    });
  }

  #create(m, kind) {
    const g = svgEl("g", {
      class: `msg msg-${kind}`,
      "data-message-id": m.id,
      "data-message-type": m.type,
    });
    g.appendChild(glyphTemplate(kind).cloneNode(true));
    const title = svgEl("title", {}, g);
    title.textContent = `${GLYPHS[kind].label} ${m.from}→${m.to}, term ${m.term} (click to drop)`;
    if (kind === "append") setText(g.querySelector(".glyph-count"), entryCount(m));
    this.root.appendChild(g);
    const it = { g, kind };
    this.items.set(m.id, it);
    return it;
  }

  /**
   * @param {object} state Playground.state()
   * @param {Map<number,{x:number,y:number}>} pos
   * @param {number} now simulated time of this frame, ms
   */
  update(state, pos, now) {
    const seen = new Set();
    for (const m of state.messages) {
      const a = pos.get(m.from);
      const b = pos.get(m.to);
      if (!a || !b) continue;
      seen.add(m.id);
      const kind = glyphKind(m);
      let it = this.items.get(m.id);
      if (it && it.kind !== kind) {
        it.g.remove();
        it = null;
      }
      if (!it) it = this.#create(m, kind);
      const span = m.deliverAtMs - m.sentAtMs;
      const t = span > 0 ? (now - m.sentAtMs) / span : 1;
      const p = pointAlong(a, b, t, SIDE, RIM);
      setAttr(it.g, "transform", `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`);
    }
    for (const [id, it] of this.items) {
      if (!seen.has(id)) {
        it.g.remove();
        this.items.delete(id);
      }
    }
  }
}
