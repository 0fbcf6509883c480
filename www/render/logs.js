// The log panel: one row per node, one cell per entry, columns aligned by index.
// A cell shows the command and its term (as colour and as a number); committed
// entries are solid, uncommitted ones dashed. Under a follower's row, the leader's
// view of it: ▲ at nextIndex, a bar under matchIndex.

import { htmlEl, setAttr, setText, setClass } from "../dom.js";
import { termColor, ROLE_STYLE } from "../palette.js";


/** The leader's next/match index for follower `n`, from whichever shape the API uses. */
export function progressOf(state, n) {
  if (typeof n.nextIndex === "number" || typeof n.matchIndex === "number") {
    return { next: n.nextIndex ?? null, match: n.matchIndex ?? null };
  }
  const leader = state.nodes.find((x) => x.id === state.leader);
  const p = leader?.progress;
  if (p) {
    const e = Array.isArray(p) ? p.find((x) => x.id === n.id) : p[n.id];
    if (e) return { next: e.nextIndex ?? e.next ?? null, match: e.matchIndex ?? e.match ?? null };
  }
  return { next: null, match: null };
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
    this.sig = "";
    this.head = htmlEl("div", { class: "log-row log-head", "aria-hidden": "true" }, root);
    htmlEl("span", { class: "log-label" }, this.head).textContent = "index";
    this.headCells = [];
    /** @type {Map<number, {row:HTMLElement,label:HTMLElement,role:HTMLElement,cells:HTMLElement[]}>} */
    this.rows = new Map();
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
    // A cell gets its command and term spans when it first shows something (see update):
    // most cells of a young cluster are empty, and two spans fewer in each of them is over a
    // third of the page's elements that the first frame need not style and lay out.
    while (r.cells.length < this.cols) r.cells.push(htmlEl("span", { class: "cell empty" }, r.row));
    while (r.cells.length > this.cols) r.cells.pop().remove();
  }

  #row(id) {
    let r = this.rows.get(id);
    if (r) return r;
    const row = htmlEl("div", { class: "log-row", "data-log-node": id }, this.root);
    const label = htmlEl("span", { class: "log-label" }, row);
    const chip = htmlEl("span", { class: "chip" }, label);
    chip.textContent = id;
    const role = htmlEl("span", { class: "role" }, label);
    r = { row, label, chip, role, cells: [] };
    this.rows.set(id, r);
    this.#sizeRow(r);
    return r;
  }

  /** How many of each log's newest entries the panel can show (for state({ logLimit })). */
  get logLimit() {
    return this.cols + 4;
  }

  /** Redraws if anything the panel shows has changed since the last call. */
  update(state) {
    let sig = `${this.cols}|${state.leader}`;
    let maxLast = 0;
    const progress = new Map();
    const rowSigs = new Map();
    for (const n of state.nodes) {
      const last = n.log.length ? n.log[n.log.length - 1] : null;
      const li = last ? last.index : n.commitIndex;
      if (li > maxLast) maxLast = li;
      const p = progressOf(state, n);
      progress.set(n.id, p);
      const row = `${n.id}:${n.role}:${n.up}:${n.commitIndex}:${li}:${last ? last.term : 0}:${n.log.length}:${p.next}:${p.match}:${n.snapshotIndex}`;
      rowSigs.set(n.id, row);
      sig += `|${row}`;
    }
    if (sig === this.sig) return;
    this.sig = sig;

    // Show the newest entries, with room for a nextIndex one past the end. The window
    // moves in steps of half its width, so most updates touch a few cells, not all.
    const step = Math.max(1, Math.floor(this.cols / 2));
    const over = maxLast + 2 - this.cols;
    const start = over <= 0 ? 1 : 1 + Math.ceil(over / step) * step;
    this.headCells.forEach((c, k) => setText(c, start + k));
    setClass(this.head, "scrolled", start > 1);

    const seen = new Set();
    for (const n of state.nodes) {
      seen.add(n.id);
      const r = this.#row(n.id);
      // A row whose node, window and leader are as last drawn needs no cell touched.
      const rowSig = `${this.cols}|${start}|${state.leader}|${rowSigs.get(n.id)}`;
      if (rowSig === r.sig) continue;
      r.sig = rowSig;
      const role = n.up ? n.role : "down";
      const st = ROLE_STYLE[role] ?? ROLE_STYLE.follower;
      setText(r.role, n.up ? st.label : "crashed");
      setAttr(r.chip, "style", `background:${st.fill};border-color:${st.stroke}`);
      setClass(r.row, "is-down", !n.up);
      setClass(r.row, "is-leader", n.up && n.role === "leader");
      setAttr(r.row, "aria-label", `Node ${n.id} log: ${n.log.length} entries, committed up to ${n.commitIndex}`);
      const first = n.log.length ? n.log[0].index : n.commitIndex + 1;
      // Entries compacted into a snapshot; older builds do not say, so guess from the log.
      const snapIndex = typeof n.snapshotIndex === "number" ? n.snapshotIndex : first - 1;
      const p = state.leader !== null && n.id !== state.leader ? progress.get(n.id) : { next: null, match: null };
      for (let k = 0; k < this.cols; k++) {
        const idx = start + k;
        const c = r.cells[k];
        const e = idx >= first ? n.log[idx - first] : null;
        const snap = !e && idx <= snapIndex;
        let cls = "cell";
        if (e) cls += idx <= n.commitIndex ? " committed" : " pending";
        else if (snap) cls += " snap";
        else cls += " empty";
        if (p.next === idx) cls += " is-next";
        if (p.match === idx) cls += " is-match";
        setAttr(c, "class", cls);
        setAttr(c, "data-index", idx);
        setAttr(c, "style", e ? `--c:${termColor(e.term)}` : "");
        const cmd = e ? commandText(e) : snap ? "▒" : "";
        if (cmd !== "" && !c.firstChild) {
          htmlEl("span", { class: "cmd" }, c);
          htmlEl("span", { class: "t" }, c);
        }
        if (c.firstChild) {
          setText(c.firstChild, cmd);
          setText(c.lastChild, e ? e.term : "");
        }
        setAttr(c, "title", e ? `index ${idx}, term ${e.term}, ${idx <= n.commitIndex ? "committed" : "not committed"}` : snap ? `index ${idx}: in snapshot` : "");
      }
    }
    for (const [id, r] of this.rows) {
      if (!seen.has(id)) {
        r.row.remove();
        this.rows.delete(id);
      }
    }
  }
}
