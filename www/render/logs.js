// The log panel: one row per node, one cell per entry, columns aligned by index.
// A cell shows the command and its term (as colour and as a number); committed
// entries are solid, uncommitted ones dashed. Under a follower's row, the leader's
// view of it: ▲ at nextIndex, a bar under matchIndex.

import { htmlEl, setAttr, setText, setClass } from "../dom.js";
import { termColor, ROLE_STYLE } from "../palette.js";


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

// What a cell can be, as its class attribute (the stable hooks: committed, pending, snap).
const CLS = ["cell empty", "cell pending", "cell committed", "cell snap"];
const EMPTY = 0;
const PENDING = 1;
const COMMITTED = 2;
const SNAP = 3;

/**
 * A command cut to what a cell has room for: three characters, or two and "…" (the
 * tooltip has it whole). Cut here rather than clipped by CSS: a clip in each of some 300
 * cells is as many paint property nodes and paint chunks, and the compositor walks them
 * all in every frame that paints anything.
 */
export function cellText(cmd) {
  return cmd.length <= 3 ? cmd : `${cmd.slice(0, 2)}…`;
}

/**
 * Cost notes (the panel is redrawn a few times a second while a cluster runs, and used to
 * be what set the frame-cost p95):
 * - Columns are anchored to entry indexes and the window moves by half its width, so a
 *   new entry fills the next cell and commits turn dashed cells solid; nothing shifts.
 * - Each cell's kind, term and command are kept here, so a redraw touches the DOM only
 *   for the cells that changed, without reading it back.
 * - nextIndex / matchIndex are two marks per row moved by a transform, not classes on
 *   cells (a class that positions a cell would make and unmake a paint layer).
 * - Tooltips are written when the pointer enters a cell, not on every redraw.
 * - Rows have a fixed size and `contain: strict` (style.css), so a change inside one
 *   never lays out anything outside it.
 */
export class LogPanel {
  /**
   * @param {HTMLElement} root
   * @param {{cellWidth?:number, labelWidth?:number, onResize?:()=>void}} [size] pixels per
   *   column and for the row label; onResize: the number of columns changed, so the panel
   *   needs a state with that many entries per log (see logLimit)
   */
  constructor(root, { cellWidth = 30, labelWidth = 92, onResize } = {}) {
    this.root = root;
    this.cellWidth = cellWidth;
    this.labelWidth = labelWidth;
    this.cols = 0;
    this.start = 1;
    this.drawnCols = 0;
    this.sig = "";
    root.style.setProperty("--log-x0", `${labelWidth}px`);
    root.style.setProperty("--log-pitch", `${cellWidth}px`);
    this.head = htmlEl("div", { class: "log-row log-head", "aria-hidden": "true" }, root);
    htmlEl("span", { class: "log-label" }, this.head).textContent = "index";
    this.headCells = [];
    /** @type {Map<number, object>} */
    this.rows = new Map();
    root.addEventListener("pointerover", (ev) => this.#tooltip(ev.target));
    // The panel is built before the page has been laid out: reading its width here would
    // force a style and layout pass of the whole page (some 15-30 ms of a cold load) that the
    // first frame then does again. Guess from the window instead (the full page's panel spans
    // the page's column, up to 1180 px less padding); the ResizeObserver below reports the
    // real width after the first frame's layout and before its paint, so a wrong guess is
    // corrected in that same frame and never seen.
    const view = root.ownerDocument?.defaultView;
    this.#fit(view ? Math.min(view.innerWidth - 36, 1180) - 26 : 600);
    if (typeof ResizeObserver === "function") {
      new ResizeObserver((entries) => {
        const w = entries[entries.length - 1].contentRect.width;
        if (w > 0 && this.#fit(w)) {
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
    // A cell gets its command and term spans when it first shows something (see #cell):
    // most cells of a young cluster are empty, and two spans fewer in each of them is over a
    // third of the page's elements that the first frame need not style and lay out.
    while (r.cells.length < this.cols) {
      const c = htmlEl("span", { class: CLS[EMPTY] });
      r.row.insertBefore(c, r.next);
      r.cells.push({ el: c, kind: EMPTY, index: 0, term: 0, text: "", spans: null });
    }
    while (r.cells.length > this.cols) r.cells.pop().el.remove();
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
    // The leader's view of this follower: ▲ under nextIndex, a bar under matchIndex.
    const next = htmlEl("span", { class: "log-mark mark-next", hidden: "" }, row);
    const match = htmlEl("span", { class: "log-mark mark-match", hidden: "" }, row);
    r = { id, row, label, chip, role, next, match, nextAt: null, matchAt: null, cells: [], sig: "", node: null };
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
      // A row whose node, window and leader are as last drawn needs no cell touched.
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
    r.nextAt = this.#mark(r.next, r.nextAt, p.next, start);
    r.matchAt = this.#mark(r.match, r.matchAt, p.match, start);
  }

  /** Brings one cell to `kind`/`term`/`text` at index `idx`, writing only what differs. */
  #cell(c, idx, kind, term, text) {
    const el = c.el;
    if (c.index !== idx) {
      c.index = idx;
      el.setAttribute("data-index", idx);
      if (el.hasAttribute("title")) el.removeAttribute("title");
    }
    if (c.kind !== kind) {
      c.kind = kind;
      el.className = CLS[kind];
      if (el.hasAttribute("title")) el.removeAttribute("title");
    }
    if (c.term !== term) {
      c.term = term;
      if (term) el.style.setProperty("--c", termColor(term));
      else el.style.removeProperty("--c");
      if (c.spans) c.spans[1].firstChild.data = term ? term : "";
      if (el.hasAttribute("title")) el.removeAttribute("title");
    }
    if (c.text !== text) {
      c.text = text;
      if (!c.spans) {
        // Each span keeps one text node whose data is rewritten: cheaper than a new node.
        c.spans = [htmlEl("span", { class: "cmd" }, el), htmlEl("span", { class: "t" }, el)];
        c.spans[0].append(text);
        c.spans[1].append(term ? String(term) : "");
      } else c.spans[0].firstChild.data = text;
    }
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

  /** Writes a cell's tooltip when the pointer reaches it (not on every redraw). */
  #tooltip(target) {
    const el = target?.closest?.(".cell");
    if (!el || el.hasAttribute("title")) return;
    const row = el.parentElement?.getAttribute("data-log-node");
    const r = this.rows.get(Number(row));
    if (!r || !r.node) return;
    const idx = Number(el.getAttribute("data-index"));
    const { log, first, commitIndex, snapIndex } = r.node;
    const e = idx >= first ? log[idx - first] : undefined;
    const title = e
      ? `index ${idx}, term ${e.term}, ${idx <= commitIndex ? "committed" : "not committed"}: ${commandText(e)}`
      : idx <= snapIndex
        ? `index ${idx}: in snapshot`
        : "";
    el.setAttribute("title", title);
  }
}
