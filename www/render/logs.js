// The log panel: one row per node, one cell per entry, columns aligned by index.
// A cell shows the command and its term (as colour and as a number); committed
// entries are solid, uncommitted ones dashed. Under a follower's row, the leader's
// view of it: ▲ at nextIndex, a bar under matchIndex.
//
// Each row's cells are painted on a <canvas> of the row's own, each cell copied from a
// sprite of its look. As DOM elements, some 300 cells restyled, relaid out and repainted
// whenever entries committed (every row changes then), which made those frames the page's
// heaviest with the panel in view (see docs/performance.md).
//
// Test hooks: each row keeps one unrendered element per column in a hidden <div>, class
// "cell" plus its kind (committed, pending, snap or empty), data-index, and two spans, the
// command as shown (.cmd) and the term (.t). They are written from the same values the
// canvas is painted from, in the same pass.

import { htmlEl, setAttr, setText, setClass } from "../dom.js";
import { termColor, ROLE_STYLE } from "../palette.js";

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
// A cell's look by kind (EMPTY, PENDING, COMMITTED, SNAP below): its fill (null: the
// term's colour), a dashed border in the term's colour, and the colour of its text.
const LOOK = [
  { fill: "#f6f7f9" },
  { fill: "#fff", text: "#3a4656", dashed: true },
  { fill: null, text: "#13202f" },
  { fill: "#eceff3", text: "#a8b0bc" },
];


/** The leader's next/match index for follower `n` (state() gives them on each follower). */
function progressOf(n) {
  return { next: n.nextIndex ?? null, match: n.matchIndex ?? null };
}

/** What a cell shows: the command, "·" for a leader's no-op, "+6" / "−6" for membership. */
export function commandText(e) {
  const c = e.command;
  if (c === null || c === undefined || c === "" || e.kind === "noop") return "·";
  if (e.kind === "config") {
    const m = /^(add|remove) node (\d+)$/.exec(c);
    if (m) return `${m[1] === "add" ? "+" : "−"}${m[2]}`;
  }
  return String(c);
}

// What a cell can be, as its hook's class attribute (the stable hooks: committed, pending, snap).
const CLS = ["cell empty", "cell pending", "cell committed", "cell snap"];
const EMPTY = 0;
const PENDING = 1;
const COMMITTED = 2;
const SNAP = 3;

/**
 * A command cut to what a cell has room for: three characters, or two and "…" (the
 * tooltip has it whole).
 */
export function cellText(cmd) {
  return cmd.length <= 3 ? cmd : `${cmd.slice(0, 2)}…`;
}

/**
 * Cost notes (the panel is redrawn a few times a second while a cluster runs, and used to
 * be what set the frame-cost p95):
 * - Columns are anchored to entry indexes and the window moves by half its width, so a
 *   new entry fills the next cell and commits turn dashed cells solid; nothing shifts.
 * - Each cell's kind, term and command are kept here, so a redraw repaints only the cells
 *   that changed, each copied from a sprite, and writes only the hooks that differ, without
 *   reading them back.
 * - nextIndex / matchIndex are two marks per row moved by a transform, not painted on the
 *   canvas (a mark moves far more often than cells change).
 * - Tooltips are written when the pointer moves onto a cell, not on every redraw.
 * - Rows have a fixed size and `contain: strict` (style.css), so a change inside one
 *   never lays out anything outside it.
 */
export class LogPanel {
  /**
   * @param {HTMLElement} root
   * @param {{cellWidth?:number, labelWidth?:number, onResize?:()=>void}} [size] pixels per
   *   column (a cell is 2 px narrower) and for the row label; onResize: the number of
   *   columns changed, so the panel needs a state with that many entries per log (see
   *   logLimit)
   */
  constructor(root, { cellWidth = 30, labelWidth = 92, onResize } = {}) {
    this.root = root;
    this.cellWidth = cellWidth;
    this.cellSize = cellWidth - 2;
    this.labelWidth = labelWidth;
    this.cols = 0;
    this.start = 1;
    this.drawnCols = 0;
    this.sig = "";
    const view = root.ownerDocument?.defaultView;
    this.dpr = Math.max(1, view?.devicePixelRatio || 1);
    /** @type {Map<string, HTMLCanvasElement|OffscreenCanvas>} a cell's look by kind|term|text */
    this.sprites = new Map();
    root.style.setProperty("--log-x0", `${labelWidth}px`);
    root.style.setProperty("--log-pitch", `${cellWidth}px`);
    this.head = htmlEl("div", { class: "log-row log-head", "aria-hidden": "true" }, root);
    htmlEl("span", { class: "log-label" }, this.head).textContent = "index";
    this.headCells = [];
    /** @type {Map<number, object>} */
    this.rows = new Map();
    root.addEventListener("pointermove", (ev) => this.#tooltip(ev));
    // The panel is built before the page has been laid out: reading its width here would
    // force a style and layout pass of the whole page (some 15-30 ms of a cold load) that the
    // first frame then does again. Guess from the window instead (the full page's panel spans
    // the page's column, up to 1180 px less padding); the ResizeObserver below reports the
    // real width after the first frame's layout and before its paint, so a wrong guess is
    // corrected in that same frame and never seen.
    this.#fit(view ? Math.min(view.innerWidth - 36, 1180) - 26 : 600);
    if (typeof ResizeObserver === "function") {
      new ResizeObserver((entries) => {
        const w = entries[entries.length - 1].contentRect.width;
        // A zoom, or a window moved to another screen, changes the device pixels per CSS
        // pixel: the canvases are made again at the new density (and so repainted whole).
        const dpr = Math.max(1, view?.devicePixelRatio || 1);
        const denser = dpr !== this.dpr;
        if (denser) {
          this.dpr = dpr;
          this.sprites.clear();
          for (const r of this.rows.values()) this.#sizeRow(r);
        }
        if (w > 0 && (this.#fit(w) || denser)) {
          this.sig = "";
          onResize?.();
        }
      }).observe(root);
    }
  }

  /** Recomputes how many columns fit in `w` pixels; true if that changed. */
  #fit(w) {
    const cols = Math.max(6, Math.min(40, Math.floor((w - this.labelWidth - 8) / this.cellWidth)));
    if (cols === this.cols) return false;
    this.cols = cols;
    while (this.headCells.length < cols) this.headCells.push(htmlEl("span", { class: "idx" }, this.head));
    while (this.headCells.length > cols) this.headCells.pop().remove();
    for (const r of this.rows.values()) this.#sizeRow(r);
    return true;
  }

  #sizeRow(r) {
    // A hook gets its command and term spans when it first shows something (see #cell).
    while (r.cells.length < this.cols) {
      const c = htmlEl("span", { class: CLS[EMPTY] }, r.hooks);
      r.cells.push({ el: c, kind: EMPTY, index: 0, term: 0, text: "", spans: null, dirty: true });
    }
    while (r.cells.length > this.cols) r.cells.pop().el.remove();
    const w = this.cols * this.cellWidth - 2;
    const h = this.cellSize;
    r.canvas.style.width = `${w}px`;
    r.canvas.style.height = `${h}px`;
    r.canvas.width = Math.round(w * this.dpr);
    r.canvas.height = Math.round(h * this.dpr); // (which clears it)
    r.full = true;
    r.sig = "";
  }

  #row(id) {
    let r = this.rows.get(id);
    if (r) return r;
    const row = htmlEl("div", { class: "log-row", "data-log-node": id }, this.root);
    const label = htmlEl("span", { class: "log-label" }, row);
    const chip = htmlEl("span", { class: "chip" }, label);
    chip.textContent = id;
    const role = htmlEl("span", { class: "role" }, label);
    const canvas = htmlEl("canvas", { class: "log-cells", "aria-hidden": "true" }, row);
    const hooks = htmlEl("div", { class: "log-hooks", hidden: "" }, row);
    // The leader's view of this follower: ▲ under nextIndex, a bar under matchIndex.
    const next = htmlEl("span", { class: "log-mark mark-next", hidden: "" }, row);
    const match = htmlEl("span", { class: "log-mark mark-match", hidden: "" }, row);
    r = { id, row, label, chip, role, canvas, ctx: canvas.getContext("2d"), hooks, next, match, nextAt: null, matchAt: null, cells: [], sig: "", node: null, tipAt: null, tip: "" };
    this.rows.set(id, r);
    this.#sizeRow(r);
    return r;
  }

  /** How many of each log's newest entries the panel can show (for state({ logLimit })). */
  get logLimit() {
    return this.cols + 4;
  }

  /** Redraws what changed since the last call (the app calls it a few times a second). */
  update(state) {
    let sig = `${this.cols}|${state.leader}`;
    let maxLast = 0;
    const rowSigs = new Map();
    for (const n of state.nodes) {
      const last = n.log.length ? n.log[n.log.length - 1] : null;
      const li = last ? last.index : n.commitIndex;
      if (li > maxLast) maxLast = li;
      const p = progressOf(n);
      const row = `${n.id}:${n.role}:${n.up}:${n.commitIndex}:${li}:${last ? last.term : 0}:${n.log.length}:${p.next}:${p.match}:${n.snapshotIndex}`;
      rowSigs.set(n.id, { row, p });
      sig += `|${row}`;
    }
    if (sig === this.sig) return;
    this.sig = sig;

    // Show the newest entries, with room for a nextIndex one past the end. The window
    // moves in steps of half its width (a page turn), so between turns an update only
    // fills or solidifies the cells of new entries.
    const step = Math.max(1, Math.floor(this.cols / 2));
    const over = maxLast + 2 - this.cols;
    const start = over <= 0 ? 1 : 1 + Math.ceil(over / step) * step;
    if (start !== this.start || this.cols !== this.drawnCols) {
      this.start = start;
      this.drawnCols = this.cols;
      this.headCells.forEach((c, k) => setText(c, start + k));
      setClass(this.head, "scrolled", start > 1);
    }

    const seen = new Set();
    for (const n of state.nodes) {
      seen.add(n.id);
      const r = this.#row(n.id);
      // A row whose node, window and leader are as last drawn needs nothing done.
      const { row, p } = rowSigs.get(n.id);
      const rowSig = `${this.cols}|${start}|${state.leader}|${row}`;
      if (rowSig === r.sig) continue;
      r.sig = rowSig;
      this.#drawRow(r, n, state.leader !== null && n.id !== state.leader ? p : { next: null, match: null }, start);
    }
    for (const [id, r] of this.rows) {
      if (!seen.has(id)) {
        r.row.remove();
        this.rows.delete(id);
      }
    }
  }

  #drawRow(r, n, p, start) {
    const role = n.up ? n.role : "down";
    const st = ROLE_STYLE[role] ?? ROLE_STYLE.follower;
    setText(r.role, n.up ? st.label : "crashed");
    setAttr(r.chip, "style", `background:${st.fill};border-color:${st.stroke}`);
    setClass(r.row, "is-down", !n.up);
    setClass(r.row, "is-leader", n.up && n.role === "leader");
    setAttr(r.row, "aria-label", `Node ${n.id} log: ${n.log.length} entries, committed up to ${n.commitIndex}`);
    const first = n.log.length ? n.log[0].index : n.commitIndex + 1;
    const snapIndex = n.snapshotIndex; // entries up to here are compacted into a snapshot
    r.node = { log: n.log, first, commitIndex: n.commitIndex, snapIndex };
    for (let k = 0; k < this.cols; k++) {
      const idx = start + k;
      const e = idx >= first ? n.log[idx - first] : undefined;
      if (e) this.#cell(r.cells[k], idx, idx <= n.commitIndex ? COMMITTED : PENDING, e.term, cellText(commandText(e)));
      else if (idx <= snapIndex) this.#cell(r.cells[k], idx, SNAP, 0, "▒");
      else this.#cell(r.cells[k], idx, EMPTY, 0, "");
    }
    this.#paint(r);
    if (r.tipAt !== null) this.#writeTip(r);
    r.nextAt = this.#mark(r.next, r.nextAt, p.next, start);
    r.matchAt = this.#mark(r.match, r.matchAt, p.match, start);
  }

  /** Brings one cell's hook to `kind`/`term`/`text` at index `idx`, writing only what differs. */
  #cell(c, idx, kind, term, text) {
    const el = c.el;
    if (c.index !== idx) {
      c.index = idx;
      el.setAttribute("data-index", idx);
    }
    if (c.kind !== kind) {
      c.kind = kind;
      c.dirty = true;
      el.className = CLS[kind];
    }
    if (c.term !== term) {
      c.term = term;
      c.dirty = true;
      if (c.spans) c.spans[1].firstChild.data = term ? term : "";
    }
    if (c.text !== text) {
      c.text = text;
      c.dirty = true;
      if (!c.spans) {
        // Each span keeps one text node whose data is rewritten: cheaper than a new node.
        c.spans = [htmlEl("span", { class: "cmd" }, el), htmlEl("span", { class: "t" }, el)];
        c.spans[0].append(text);
        c.spans[1].append(term ? String(term) : "");
      } else c.spans[0].firstChild.data = text;
    }
  }

  /**
   * Paints a row's cells that changed since it was last painted (all of them after a
   * resize), each copied from a sprite of its look (see #sprite): drawing a cell's shapes and
   * texts afresh cost some 80 µs a cell, about 4 ms a redraw with 9 nodes under load.
   */
  #paint(r) {
    const g = r.ctx;
    if (!g) return;
    const s = this.cellSize;
    const pitch = this.cellWidth;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    for (let k = 0; k < r.cells.length; k++) {
      const c = r.cells[k];
      if (!r.full && !c.dirty) continue;
      c.dirty = false;
      g.clearRect(k * pitch, 0, s, s);
      g.drawImage(this.#sprite(c.kind, c.term, c.text), k * pitch, 0, s, s);
    }
    r.full = false;
  }

  /**
   * A cell's look as a small canvas, drawn once and kept (commands repeat, and a cluster
   * has few terms at a time): a rounded square, solid in the term's colour when committed,
   * white with a dashed border in it when not, as the stylesheet drew the cells when they
   * were elements; the command on top and, in cells of 26 px or more, the term at the
   * bottom right.
   */
  #sprite(kind, term, text) {
    const key = `${kind}|${term}|${text}`;
    let sprite = this.sprites.get(key);
    if (sprite) return sprite;
    if (this.sprites.size >= 500) this.sprites.clear();
    const s = this.cellSize;
    const px = Math.round(s * this.dpr);
    if (typeof OffscreenCanvas === "function") sprite = new OffscreenCanvas(px, px);
    else {
      sprite = this.root.ownerDocument.createElement("canvas");
      sprite.width = sprite.height = px;
    }
    this.sprites.set(key, sprite);
    const g = sprite.getContext("2d");
    if (!g) return sprite;
    g.scale(this.dpr, this.dpr);
    const withTerm = s >= 26;
    const radius = withTerm ? 5 : 4;
    const look = LOOK[kind];
    const color = termColor(term);
    g.fillStyle = look.fill ?? color;
    g.beginPath();
    g.roundRect(0, 0, s, s, radius);
    g.fill();
    if (look.dashed) {
      g.lineWidth = 2;
      g.setLineDash([5, 3]);
      g.strokeStyle = color;
      g.beginPath();
      g.roundRect(1, 1, s - 2, s - 2, radius - 1);
      g.stroke();
    }
    if (!text) return sprite;
    g.fillStyle = look.text;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.font = `700 ${withTerm ? 11.5 : 9.6}px ${FONT}`;
    g.fillText(text, s / 2, withTerm ? 11.5 : s / 2 + 0.5, s - 4);
    if (withTerm && term) {
      g.globalAlpha = 0.75;
      g.textAlign = "right";
      g.font = `600 9px ${FONT}`;
      g.fillText(String(term), s - 3, 22.5);
    }
    return sprite;
  }

  /** Moves a row's next/match mark to column of `index` (hidden if off the window or null). */
  #mark(el, was, index, start) {
    const k = index === null || index === undefined ? -1 : index - start;
    const at = k >= 0 && k < this.cols ? k : null;
    if (at === was) return was;
    if (at === null) el.hidden = true;
    else {
      el.style.setProperty("--k", at);
      if (was === null) el.hidden = false;
    }
    return at;
  }

  /** The index of the cell at `x` pixels into a row's canvas, or null between cells. */
  #cellAt(x) {
    const k = Math.floor(x / this.cellWidth);
    if (k < 0 || k >= this.cols || x - k * this.cellWidth > this.cellSize) return null;
    return this.start + k;
  }

  /** Follows the pointer over a row's cells with the tooltip of the one under it. */
  #tooltip(ev) {
    const canvas = ev.target;
    if (!canvas?.classList?.contains("log-cells")) return;
    const r = this.rows.get(Number(canvas.parentElement?.getAttribute("data-log-node")));
    if (!r) return;
    const idx = this.#cellAt(ev.offsetX);
    if (idx === r.tipAt) return;
    r.tipAt = idx;
    this.#writeTip(r);
  }

  /** Writes the title of row `r`'s canvas for the cell the pointer is on (r.tipAt). */
  #writeTip(r) {
    const idx = r.tipAt;
    let title = "";
    if (idx !== null && r.node) {
      const { log, first, commitIndex, snapIndex } = r.node;
      const e = idx >= first ? log[idx - first] : undefined;
      if (e) title = `index ${idx}, term ${e.term}, ${idx <= commitIndex ? "committed" : "not committed"}: ${commandText(e)}`;
      else if (idx <= snapIndex) title = `index ${idx}: in snapshot`;
    }
    if (title === r.tip) return;
    r.tip = title;
    if (title) r.canvas.setAttribute("title", title);
    else r.canvas.removeAttribute("title");
  }
}
