// The space-time diagram itself (render/spacetime.js shows, hides and loads it): one
// lane per node, simulated time flowing down, each message an arrow from its send to
// its delivery, coloured by kind (palette.js), dropped ones ending in an X. The newest
// moment is at the bottom and the diagram scrolls with the simulation; the wheel
// scrolls back through the kept history. Hovering a message, here or in the cluster
// view, highlights it in both (the cluster view's message layer reports its hover
// through SpaceTime.highlight, and is told what to highlight through highlightCluster).
// Test hooks: data-message-id and data-message-type on each arrow's <g>, which
// also carries data-fate ("flying" | "delivered" | "dropped").

import { svgEl, setAttr, setText, setClass } from "../dom.js";
import { GLYPHS, ROLE_STYLE } from "../palette.js";
import { MessageHistory } from "../msghistory.js";

// The diagram's stylesheet when it travels with this module. The development page and
// <raft-playground> link spacetime.css themselves and this stays empty; the built page
// (scripts/make-dist.mjs) writes the minified stylesheet here and leaves it out of the
// page's own CSS, so a reader who never opens the diagram does not download its styles.
const STYLE = "";
/** Documents and shadow roots the stylesheet has been added to. */
const styled = new WeakSet();

/** Adds STYLE (if any) to the document or shadow root holding `el`, once. */
function addStyle(el) {
  const root = el.getRootNode();
  if (!STYLE || styled.has(root)) return;
  styled.add(root);
  const doc = el.ownerDocument;
  const style = doc.createElement("style");
  style.textContent = STYLE;
  (root === doc ? doc.head : root).appendChild(style);
}

const HEAD_H = 34; // lane labels
const FOOT_H = 8;
const TOP_PAD = 10; // so the label of the window's first moment is not under the lane labels
const LEFT_W = 52; // time labels
const RIGHT_W = 14;
/** A role label (10px type): the width of a character, estimated, and the height of a line. */
const LABEL_CHAR_W = 5.8;
const LABEL_LINE = 12;
const SPANS_MS = [200, 500, 1000, 2000, 5000];
const GRID_STEPS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/**
 * The colour of a message kind: the first colour its glyph in palette.js is drawn
 * with, other than white, so both views agree without a second table to keep in step.
 */
export function kindColor(kind) {
  const svg = GLYPHS[kind]?.svg ?? "";
  for (const m of svg.matchAll(/(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"/g)) {
    const c = m[1].toLowerCase();
    if (c !== "#fff" && c !== "#ffffff") return c;
  }
  return "#5b6b82";
}

function fmtS(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}

/**
 * Where an arrow starts and ends, in unscrolled diagram coordinates (y grows with time).
 * Exported for unit tests.
 */
export function arrowGeometry(m, xFrom, xTo, yOf, now) {
  const y0 = yOf(m.sentAtMs);
  const planned = m.deliverAtMs ?? (m.endMs !== null && m.fate === "delivered" ? m.endMs : null);
  if (m.fate === "delivered") {
    return { x0: xFrom, y0, x1: xTo, y1: yOf(m.endMs ?? planned ?? now) };
  }
  const arrive = planned ?? m.sentAtMs + 20; // unknown arrival: draw it as a typical flight
  const span = arrive - m.sentAtMs;
  const at = m.fate === "dropped" ? m.endMs : now;
  let f = span > 0 ? (at - m.sentAtMs) / span : 1;
  f = Math.max(0, Math.min(1, f));
  if (m.fate === "dropped" && f < 0.25) {
    // Lost on sending (a partition): a short stub towards the recipient.
    f = 0.25;
    return { x0: xFrom, y0, x1: xFrom + f * (xTo - xFrom), y1: yOf(at) + 6 };
  }
  return { x0: xFrom, y0, x1: xFrom + f * (xTo - xFrom), y1: y0 + f * (yOf(arrive) - y0) };
}

export class SpaceTimeView {
  /**
   * @param {object} ui parts from layout.js: spacetime (container), shell
   * @param {{ requestDraw: () => void, highlightCluster?: (id: number|null) => void }} opts
   */
  constructor(ui, opts) {
    addStyle(ui.spacetime);
    this.ui = ui;
    this.requestDraw = opts.requestDraw;
    this.highlightCluster = opts.highlightCluster ?? (() => {});
    this.history = new MessageHistory();
    this.width = 0;
    this.height = 0;
    this.spanMs = 500;
    this.pinnedEnd = null; // set while the reader has scrolled back: the view's end time
    this.hl = null; // highlighted message id
    this.items = new Map(); // message id -> { g, line, head, hit, geo }
    this.layoutKey = "";
    this.lanes = new Map(); // node id -> { x, line, head, label, chip }
    this.roleEls = [];
    this.gridEls = [];
    this.now = 0;
    this.#build();
  }

  #build() {
    const box = this.ui.spacetime;
    box.classList.add("rp-spacetime");
    box.innerHTML = `
      <div class="st-bar">
        <strong>Space-time</strong>
        <span class="st-note">time ↓ · arrow = message · ✕ = dropped · wheel scrolls back</span>
        <label class="st-span">window <select></select></label>
        <button type="button" class="st-follow" hidden>↓ now</button>
      </div>
      <div class="st-plot"></div>
      <p class="st-info" aria-live="off">Hover over a message for details.</p>`;
    this.bar = box.querySelector(".st-bar");
    this.plot = box.querySelector(".st-plot");
    this.info = box.querySelector(".st-info");
    this.followBtn = box.querySelector(".st-follow");
    this.select = box.querySelector("select");
    for (const s of SPANS_MS) {
      const o = document.createElement("option");
      o.value = String(s);
      o.textContent = s >= 1000 ? `${s / 1000} s` : `${s} ms`;
      this.select.appendChild(o);
    }
    this.select.value = String(this.spanMs);
    this.select.addEventListener("change", () => {
      this.spanMs = Number(this.select.value);
      this.layoutKey = "";
      this.requestDraw();
    });
    this.followBtn.addEventListener("click", () => {
      this.pinnedEnd = null;
      this.followBtn.hidden = true;
      this.requestDraw();
    });

    // Three stacked layers. Only the middle one scrolls, by a CSS transform on its box,
    // so moving through time repaints only what changed (arrows in flight, new arrows),
    // not the whole diagram. Its content is drawn in time coordinates relative to
    // `base`, which moves on (a "rebase", redrawing everything) every so often.
    this.back = svgEl("svg", { class: "st-back", "aria-hidden": "true" }, this.plot);
    this.laneLayer = svgEl("g", { class: "st-lanes" }, this.back);
    this.layer = document.createElement("div");
    this.layer.className = "st-layer";
    this.plot.appendChild(this.layer);
    this.svg = svgEl("svg", { class: "st-svg", role: "img", "aria-label": "Space-time diagram of messages between nodes" }, this.layer);
    this.gridLayer = svgEl("g", { class: "st-grid" }, this.svg);
    this.roleLayer = svgEl("g", { class: "st-roles" }, this.svg);
    this.msgLayer = svgEl("g", { class: "st-msgs" }, this.svg);
    this.labelLayer = svgEl("g", { class: "st-labels" }, this.svg);
    this.front = svgEl("svg", { class: "st-front", "aria-hidden": "true" }, this.plot);
    this.future = svgEl("rect", { class: "st-future", x: 0 }, this.front);
    this.nowLine = svgEl("line", { class: "st-now" }, this.front);
    this.headBg = svgEl("rect", { class: "st-head-bg", x: 0, y: 0, height: HEAD_H }, this.front);
    this.headLayer = svgEl("g", { class: "st-head" }, this.front);
    this.base = 0; // the time drawn at y = 0 of the scrolling layer

    this.resize = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      const w = Math.round(r.width);
      const h = Math.round(r.height);
      if (w === this.width && h === this.height) return;
      this.width = w;
      this.height = h;
      this.layoutKey = "";
      this.requestDraw();
    });
    this.resize.observe(this.plot);

    // Hover here (the cluster view reports its own).
    const over = (e) => {
      const g = e.target.closest?.("[data-message-id]");
      this.highlight(g ? Number(g.getAttribute("data-message-id")) : null);
    };
    const out = (e) => {
      const to = e.relatedTarget?.closest?.("[data-message-id]");
      if (!to) this.highlight(null);
    };
    this.listeners = [
      [this.svg, "pointerover", over],
      [this.svg, "pointerout", out],
      [this.plot, "wheel", (e) => this.#wheel(e)],
    ];
    for (const [el, ev, f] of this.listeners) el?.addEventListener(ev, f, ev === "wheel" ? { passive: false } : undefined);
  }

  #wheel(e) {
    if (!this.height || this.now <= this.spanMs) return;
    // Embedded in a post, the wheel scrolls the post unless Shift is held.
    if (this.ui.shell?.classList.contains("embed") && !e.shiftKey) return;
    e.preventDefault();
    const k = this.#scale();
    const end = this.pinnedEnd ?? this.now;
    const first = this.#earliest();
    let next = end + (e.deltaY || e.deltaX) / k; // Shift turns the wheel sideways in some browsers
    next = Math.max(Math.min(first + this.spanMs, this.now), Math.min(next, this.now));
    this.pinnedEnd = next >= this.now - 0.5 ? null : next;
    this.followBtn.hidden = this.pinnedEnd === null;
    this.requestDraw();
  }

  #earliest() {
    let t = this.now;
    for (const m of this.history.messages.values()) {
      t = Math.min(t, m.sentAtMs);
      break; // insertion order: the first one is about the oldest
    }
    return t;
  }

  #scale() {
    return Math.max(1, this.height - HEAD_H - TOP_PAD - FOOT_H) / this.spanMs;
  }

  /** Highlights message `id` (or none) in both views. */
  highlight(id) {
    if (id === this.hl) return;
    const old = this.hl;
    this.hl = id;
    if (old !== null) {
      const it = this.items.get(old);
      if (it) it.g.classList.remove("hl");
    }
    setClass(this.svg, "has-hl", id !== null && this.items.has(id));
    if (id !== null) this.items.get(id)?.g.classList.add("hl");
    this.highlightCluster(id);
    this.#describe();
  }

  #describe() {
    const m = this.hl === null ? null : this.history.messages.get(this.hl);
    if (!m) {
      setText(this.info, "Hover over a message for details.");
      return;
    }
    const what = GLYPHS[m.kind]?.label ?? m.type;
    const end =
      m.fate === "delivered" ? `delivered ${fmtS(m.endMs)}` : m.fate === "dropped" ? `dropped ${fmtS(m.endMs)}${m.reason ? ` (${m.reason})` : ""}` : `in flight${m.deliverAtMs !== null ? `, arrives ${fmtS(m.deliverAtMs)}` : ""}`;
    const term = m.term !== null ? `, term ${m.term}` : "";
    const why = m.why ? ` (${m.why})` : "";
    setText(this.info, `#${m.id} ${what}${why}: node ${m.from} → node ${m.to}${term}; sent ${fmtS(m.sentAtMs)}, ${end}`);
  }

  /**
   * Called every frame by the app, after the cluster view is drawn.
   * @param {object} pg the Playground
   * @param {object} state its state()
   * @param {number} now simulated time of this frame, ms
   */
  update(pg, state, now) {
    const hadPg = this.history.pg;
    this.history.pull(pg, state);
    if (this.history.pg !== hadPg || now < this.now) {
      for (const it of this.items.values()) it.g.remove();
      this.items.clear();
      this.pinnedEnd = null;
      this.followBtn.hidden = true;
    }
    this.now = now;
    if (!this.width || !this.height) return;
    const ids = state.nodes.map((n) => n.id);
    const key = `${this.width}x${this.height}:${this.spanMs}:${ids.join(",")}`;
    const relayout = key !== this.layoutKey;
    if (relayout) this.#layout(ids, key);

    const k = this.#scale();
    // Early in a run the window starts at time 0 and "now" moves down to the bottom.
    const end = this.pinnedEnd ?? Math.max(now, this.spanMs);
    const from = end - this.spanMs;
    const bottom = this.height - FOOT_H;
    // The layer covers [base, base + 3 spans]; rebase when the window leaves it.
    let rebased = relayout;
    if (relayout || from < this.base || end > this.base + 3 * this.spanMs) {
      this.base = Math.max(0, end - 1.5 * this.spanMs);
      rebased = true;
    }
    if (rebased) {
      const layerH = Math.ceil(3 * this.spanMs * k) + 2;
      setAttr(this.svg, "height", layerH);
      setAttr(this.svg, "viewBox", `0 0 ${this.width} ${layerH}`);
    }
    this.layer.style.transform = `translate3d(0, ${(bottom - (end - this.base) * k).toFixed(2)}px, 0)`;
    const yNow = bottom - (end - now) * k;
    setAttr(this.nowLine, "y1", yNow.toFixed(1));
    setAttr(this.nowLine, "y2", yNow.toFixed(1));
    this.nowLine.style.display = now > end ? "none" : "";
    setAttr(this.future, "y", Math.min(this.height, yNow).toFixed(1));
    setAttr(this.future, "height", Math.max(0, this.height - yNow).toFixed(1));
    const base = this.base;
    const yOf = (t) => (t - base) * k;

    this.#lanes(state, base + 3 * this.spanMs, yOf);
    if (rebased) this.#grid(k);

    const seen = new Set();
    for (const m of this.history.within(from - 50, end + 50)) {
      const a = this.lanes.get(m.from);
      const b = this.lanes.get(m.to);
      if (!a || !b) continue;
      seen.add(m.id);
      let it = this.items.get(m.id);
      if (it && (it.kind !== m.kind || it.fate !== m.fate)) {
        it.g.remove();
        it = null;
      }
      if (!it) it = this.#create(m);
      if (m.fate === "flying" || rebased || !it.done) {
        const geo = arrowGeometry(m, a.x, b.x, yOf, now);
        this.#place(it, geo, m);
        it.done = m.fate !== "flying";
      }
    }
    for (const [id, it] of this.items) {
      if (!seen.has(id)) {
        it.g.remove();
        this.items.delete(id);
      }
    }
    if (this.hl !== null) {
      this.items.get(this.hl)?.g.classList.add("hl");
      setClass(this.svg, "has-hl", this.items.has(this.hl));
      this.#describe();
    }
  }

  #layout(ids, key) {
    this.layoutKey = key;
    const w = this.width;
    const h = this.height;
    for (const svg of [this.back, this.front]) {
      setAttr(svg, "viewBox", `0 0 ${w} ${h}`);
      setAttr(svg, "width", w);
      setAttr(svg, "height", h);
    }
    setAttr(this.svg, "width", w);
    setAttr(this.headBg, "width", w);
    setAttr(this.future, "width", w);
    const inner = Math.max(10, w - LEFT_W - RIGHT_W);
    for (const [id, lane] of this.lanes) {
      if (!ids.includes(id)) {
        lane.line.remove();
        lane.head.remove();
        this.lanes.delete(id);
      }
    }
    ids.forEach((id, i) => {
      const x = LEFT_W + ((i + 0.5) * inner) / ids.length;
      let lane = this.lanes.get(id);
      if (!lane) {
        const line = svgEl("line", { class: "st-lane" }, this.laneLayer);
        const head = svgEl("g", { class: "st-lane-head", "data-node-id": id }, this.headLayer);
        const chip = svgEl("circle", { r: 11, cy: HEAD_H / 2 }, head);
        const label = svgEl("text", { y: HEAD_H / 2 + 4, "text-anchor": "middle" }, head);
        setText(label, id);
        lane = { line, head, chip, label };
        this.lanes.set(id, lane);
      }
      lane.x = x;
      setAttr(lane.head, "transform", `translate(${x.toFixed(1)} 0)`);
      setAttr(lane.line, "x1", x.toFixed(1));
      setAttr(lane.line, "x2", x.toFixed(1));
      setAttr(lane.line, "y1", HEAD_H);
      setAttr(lane.line, "y2", h);
    });
    setAttr(this.nowLine, "x1", LEFT_W - 6);
    setAttr(this.nowLine, "x2", w - RIGHT_W + 6);
  }

  #lanes(state, layerEnd, yOf) {
    const from = this.base;
    const end = layerEnd;
    for (const n of state.nodes) {
      const lane = this.lanes.get(n.id);
      if (!lane) continue;
      const role = n.up === false ? "down" : n.role;
      const st = ROLE_STYLE[role] ?? ROLE_STYLE.follower;
      setAttr(lane.chip, "fill", st.fill);
      setAttr(lane.chip, "stroke", st.stroke);
    }
    // Role bands: a thick stroke along the lane while a node is leader, candidate,
    // pre-candidate or down; a label where it became one.
    let used = 0;
    const placed = []; // labels drawn so far in this pass: { x0, x1, y }
    const band = (x, ta, tb, role, term, labelled) => {
      let el = this.roleEls[used];
      if (!el) {
        el = { line: svgEl("line", {}, this.roleLayer), text: svgEl("text", {}, this.labelLayer) };
        this.roleEls.push(el);
      }
      used++;
      const st = ROLE_STYLE[role];
      setAttr(el.line, "class", `st-role st-role-${role}`);
      setAttr(el.line, "x1", x);
      setAttr(el.line, "x2", x);
      setAttr(el.line, "y1", yOf(ta).toFixed(1));
      setAttr(el.line, "y2", yOf(tb).toFixed(1));
      setAttr(el.line, "stroke", st.stroke);
      // Labels go right of the lane, or left of the last one so they stay in view. Where
      // one would cover a label already drawn (an election's candidate and leader labels
      // come milliseconds apart, in lanes side by side), it moves down a line at a time.
      const left = Number(x) > this.width - RIGHT_W - 80;
      const words = !labelled ? "" : role === "leader" ? `leader t${term}` : role === "candidate" ? `candidate t${term}` : role === "down" ? "crashed" : "";
      const lx = Number(x) + (left ? -9 : 9);
      const span = words.length * LABEL_CHAR_W;
      const box = { x0: left ? lx - span : lx, x1: left ? lx : lx + span, y: yOf(ta) + 10 };
      for (let moved = true, tries = 0; words && moved && tries < 8; tries++) {
        moved = false;
        for (const p of placed) {
          if (p.x0 < box.x1 && box.x0 < p.x1 && Math.abs(p.y - box.y) < LABEL_LINE) {
            box.y = p.y + LABEL_LINE;
            moved = true;
          }
        }
      }
      if (words) placed.push(box);
      setAttr(el.text, "x", lx.toFixed(1));
      setAttr(el.text, "y", box.y.toFixed(1));
      setAttr(el.text, "text-anchor", left ? "end" : "start");
      setAttr(el.text, "class", `st-role-label st-role-${role}`);
      setText(el.text, words);
      el.line.style.display = "";
      el.text.style.display = "";
    };
    for (const [id, list] of this.history.roles) {
      const lane = this.lanes.get(id);
      if (!lane) continue;
      const x = lane.x.toFixed(1);
      for (let i = 0; i < list.length; i++) {
        const c = list[i];
        if (c.role === "follower") continue;
        const tb = i + 1 < list.length ? list[i + 1].t : end;
        if (tb < from || c.t > end) continue;
        band(x, Math.max(c.t, from), tb, c.role, c.term, c.t >= from);
      }
    }
    for (let i = used; i < this.roleEls.length; i++) {
      this.roleEls[i].line.style.display = "none";
      this.roleEls[i].text.style.display = "none";
    }
  }

  // Grid lines and their labels, in the scrolling layer: drawn once per rebase.
  #grid(k) {
    const step = GRID_STEPS_MS.find((s) => s * k >= 48) ?? 10000;
    const from = this.base;
    const end = this.base + 3 * this.spanMs;
    let used = 0;
    for (let t = Math.ceil(from / step) * step; t <= end; t += step) {
      let el = this.gridEls[used];
      if (!el) {
        el = { line: svgEl("line", { class: "st-gridline" }, this.gridLayer), text: svgEl("text", { class: "st-gridlabel", "text-anchor": "end" }, this.gridLayer) };
        this.gridEls.push(el);
      }
      used++;
      const y = ((t - from) * k).toFixed(1);
      setAttr(el.line, "x1", LEFT_W - 4);
      setAttr(el.line, "x2", this.width - RIGHT_W);
      setAttr(el.line, "y1", y);
      setAttr(el.line, "y2", y);
      setAttr(el.text, "x", LEFT_W - 6);
      setAttr(el.text, "y", (Number(y) + 3.5).toFixed(1));
      setText(el.text, step >= 1000 ? `${(t / 1000).toFixed(0)} s` : `${(t / 1000).toFixed(step >= 100 ? 1 : 2)} s`);
      el.line.style.display = "";
      el.text.style.display = "";
    }
    for (let i = used; i < this.gridEls.length; i++) {
      this.gridEls[i].line.style.display = "none";
      this.gridEls[i].text.style.display = "none";
    }
  }

  #create(m) {
    const g = svgEl("g", {
      class: `st-msg st-${m.kind} st-${m.fate}`,
      "data-message-id": m.id,
      "data-message-type": m.type,
      "data-fate": m.fate,
    });
    const color = kindColor(m.kind);
    const hit = svgEl("line", { class: "st-hit" }, g);
    const line = svgEl("line", { class: "st-line", stroke: color }, g);
    const head = svgEl("path", { class: m.fate === "dropped" ? "st-x" : "st-arrow", fill: color, stroke: m.fate === "dropped" ? "#c22f2f" : "none" }, g);
    head.setAttribute("d", m.fate === "dropped" ? "M-4 -4L4 4M4 -4L-4 4" : "M0 0L-8 -3.5L-8 3.5Z");
    const title = svgEl("title", {}, g);
    title.textContent = `${GLYPHS[m.kind]?.label ?? m.type} ${m.from}→${m.to}`;
    if (m.fate === "flying") head.style.display = "none";
    this.msgLayer.appendChild(g);
    const it = { g, line, head, hit, kind: m.kind, fate: m.fate, done: false };
    this.items.set(m.id, it);
    return it;
  }

  #place(it, geo, m) {
    const { x0, y0, x1, y1 } = geo;
    for (const el of [it.line, it.hit]) {
      setAttr(el, "x1", x0.toFixed(1));
      setAttr(el, "y1", y0.toFixed(1));
      setAttr(el, "x2", x1.toFixed(1));
      setAttr(el, "y2", y1.toFixed(1));
    }
    const angle = (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
    if (m.fate === "dropped") setAttr(it.head, "transform", `translate(${x1.toFixed(1)} ${y1.toFixed(1)})`);
    else setAttr(it.head, "transform", `translate(${x1.toFixed(1)} ${y1.toFixed(1)}) rotate(${angle.toFixed(1)})`);
    if (m.fate === "flying") {
      // The head of a message in flight is a dot, like the glyph in the cluster view.
      it.head.style.display = "";
      setAttr(it.head, "d", "M-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0Z");
    }
  }

  destroy() {
    this.resize.disconnect();
    for (const [el, ev, f] of this.listeners) el?.removeEventListener(ev, f);
  }
}
