// The timeline under the cluster: a slider over the whole run, from 0 to the furthest
// moment reached. Dragging it jumps to that moment (replayed from the nearest
// checkpoint); the run's recorded actions are marked on it. Acting while in the past
// forks the run there; playing from the past replays the recorded future.

const fmt = (us) => `${(us / 1e6).toFixed(3)} s`;
const MARKS_MAX = 200;
/** The marks' colour (the slider's in the past, teach.css). */
const MARK_COLOR = "#d9822b";
/** A last redraw this long after an advance that was not drawn (wall ms). */
const TRAILING_MS = 250;

export class Timeline {
  /**
   * @param {HTMLElement} host element to append to
   * @param {object} app the view (createApp's result): pause(), resync()
   * @param {() => object} current the RecordedPlayground now shown
   */
  constructor(host, app, current) {
    this.app = app;
    this.current = current;
    const doc = host.ownerDocument;
    const el = doc.createElement("div");
    el.className = "rp-timeline";
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", "Timeline");
    el.innerHTML = `
      <button type="button" class="tl-back" title="Back 1 s of simulated time">−1 s</button>
      <div class="tl-track">
        <input type="range" class="tl-range" min="0" max="0" step="1" value="0" aria-label="Simulated time (ms): drag to travel in time">
        <canvas class="tl-marks" aria-hidden="true" data-count="0"></canvas>
      </div>
      <output class="tl-time" aria-live="off"></output>
      <button type="button" class="tl-end" title="Jump to the latest moment of this run">Latest</button>
      <span class="tl-note" role="status"></span>`;
    host.appendChild(el);
    this.el = el;
    this.range = el.querySelector(".tl-range");
    this.marks = el.querySelector(".tl-marks");
    this.out = el.querySelector(".tl-time");
    this.note = el.querySelector(".tl-note");
    this.endBtn = el.querySelector(".tl-end");
    this.marksEnd = 0; // the run's length (µs) the marks were drawn for
    this.marked = 0; // how many actions the marks show, and the last of them
    this.markedLast = null;
    /** The marks' times (µs), at most MARKS_MAX, oldest first. */
    this.markTimes = [];
    /** The canvas's size in device pixels, and device pixels per CSS pixel. */
    this.marksPx = { w: 0, h: 0, dpr: 1 };
    this.dragging = false;
    this.pending = null;
    this.lastJumpMs = null;
    this.shownText = "";
    this.shownPast = null;
    this.trailing = null;
    this.skippedAt = 0;

    this.range.addEventListener("input", () => this.#scrub(Number(this.range.value) * 1000));
    // The slider's max may lag the run by half a second: bring it up to date
    // before the browser turns a pointer or key into a value.
    this.range.addEventListener("pointerdown", () => {
      this.update();
      this.dragging = true;
    });
    this.range.addEventListener("keydown", () => this.update());
    this.range.addEventListener("change", () => (this.dragging = false));
    // The canvas's size comes from layout, read by a ResizeObserver (in device pixels where
    // the browser reports them, so that a move to a denser screen is seen too) rather than
    // on a frame, which would force a layout pass.
    if (typeof ResizeObserver === "function") {
      const ro = new ResizeObserver((entries) => {
        const e = entries[entries.length - 1];
        const view = this.el.ownerDocument.defaultView;
        const dpr = Math.max(1, view?.devicePixelRatio || 1);
        const dev = e.devicePixelContentBoxSize?.[0];
        const w = dev ? dev.inlineSize : Math.round(e.contentRect.width * dpr);
        const h = dev ? dev.blockSize : Math.round(e.contentRect.height * dpr);
        this.marksPx = { w, h, dpr };
        this.#drawMarks();
      });
      try {
        ro.observe(this.marks, { box: "device-pixel-content-box" });
      } catch {
        ro.observe(this.marks);
      }
    }
    el.querySelector(".tl-back").addEventListener("click", () => this.jump({ us: Math.max(0, this.current().timeUs - 1e6) }));
    this.endBtn.addEventListener("click", () => {
      const rp = this.current();
      this.jump({ us: rp.endTimeUs, k: rp.actions.length });
    });
    this.update();
  }

  // Scrubbing fires many input events; jump to the latest once per animation frame.
  #scrub(us) {
    this.pending = { us };
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      const p = this.pending;
      this.pending = null;
      if (p) this.jump(p);
    });
  }

  /** Pauses and shows the run at position `pos` ({us, k?}). Returns the jump's cost in ms. */
  jump(pos) {
    const rp = this.current();
    this.app.pause();
    const t0 = performance.now();
    rp.seek(pos);
    this.lastJumpMs = performance.now() - t0;
    this.app.resync();
    this.update();
    return this.lastJumpMs;
  }

  /**
   * Brings the slider, the clock and the marks in line with the playground. `why` is the
   * hub's reason: on "advance" (every frame of a running cluster), or an action while it
   * runs, it redraws only on the frames panelclock.js picks, with the other panels;
   * anything else (a jump, an action while paused, a new run) redraws at once. Only what
   * differs from what is shown is written.
   */
  update(why) {
    const rp = this.current();
    if (!rp) return;
    // A request while the cluster runs (an "act") waits for the panels' frame as well; when
    // paused, everything shows at once.
    const deferrable = why === "advance" || (why === "act" && this.app.playing === true);
    if (deferrable && !this.app.panelsDue()) {
      // The last advance before a pause must still be shown: once advances stop for
      // TRAILING_MS, redraw (a timer, not a frame, and nothing while they go on).
      this.skippedAt = performance.now();
      this.trailing ??= setTimeout(() => this.#trail(), TRAILING_MS);
      return;
    }
    if (this.trailing) {
      clearTimeout(this.trailing);
      this.trailing = null;
    }
    const end = rp.endTimeUs;
    const now = rp.timeUs;
    const maxMs = String(Math.ceil(end / 1000));
    if (this.range.max !== maxMs) this.range.max = maxMs;
    const value = String(Math.round(now / 1000));
    if (!this.dragging && !this.pending && this.range.value !== value) this.range.value = value;
    const text = `${fmt(now)} of ${fmt(end)}`;
    if (text !== this.shownText) this.out.value = this.shownText = text;
    const past = rp.inPast;
    if (past !== this.shownPast) {
      this.shownPast = past;
      this.el.classList.toggle("in-past", past);
      this.endBtn.disabled = !past;
      this.note.textContent = past ? "In the past: Play replays what happened; acting here starts a new future." : "";
    }
    // A mark sits at its action's time over the run's length, which grows on every
    // advance. The marks are painted on a canvas, again only when the length moved them by
    // a pixel or so (0.2%) or the actions are not the ones marked: as elements placed by a
    // custom property, each such change restyled and laid out every mark, some 1.5 ms of a
    // panel frame (traced) with a few dozen of them.
    const actions = rp.actions;
    const n = actions.length;
    const kept = this.marked === 0 ? this.markedLast === null : actions[this.marked - 1] === this.markedLast;
    const moved = end > this.marksEnd * 1.002 || end < this.marksEnd;
    if (moved) this.marksEnd = end;
    const changed = !kept || n !== this.marked;
    if (changed) this.markTimes = actions.slice(-MARKS_MAX).map((a) => a.us);
    this.marked = n;
    this.markedLast = n ? actions[n - 1] : null;
    if (moved || changed) this.#drawMarks();
  }

  /** Paints the marks: 2 CSS pixels wide, the canvas's height, at time over the run's length. */
  #drawMarks() {
    const { w, h, dpr } = this.marksPx;
    const c = this.marks;
    const count = String(this.markTimes.length);
    if (c.dataset.count !== count) c.dataset.count = count;
    if (!w || !h) return;
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const g = c.getContext("2d");
    if (!g) return;
    g.clearRect(0, 0, w, h);
    g.fillStyle = MARK_COLOR;
    const end = Math.max(1, this.marksEnd);
    const mw = Math.max(1, Math.round(2 * dpr));
    for (const us of this.markTimes) g.fillRect(Math.round((us / end) * w - mw / 2), 0, mw, h);
  }

  #trail() {
    const quiet = performance.now() - this.skippedAt;
    this.trailing = quiet >= TRAILING_MS ? null : setTimeout(() => this.#trail(), TRAILING_MS - quiet);
    if (!this.trailing) this.update();
  }

}
