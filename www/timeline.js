// The timeline under the cluster: a slider over the whole run, from 0 to the furthest
// moment reached. Dragging it jumps to that moment (replayed from the nearest
// checkpoint); the run's recorded actions are marked on it. Acting while in the past
// forks the run there; playing from the past replays the recorded future.

const fmt = (us) => `${(us / 1e6).toFixed(3)} s`;
const MARKS_MAX = 200;
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
        <div class="tl-marks" aria-hidden="true"></div>
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
    this.marksEnd = 0; // the run's length (µs) the marks were laid out for
    this.marked = 0; // how many actions the marks show, and the last of them
    this.markedLast = null;
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
    // A mark sits at its action's time over the run's length, `left: calc(var(--at) /
    // var(--end) * 100%)`: the length grows on every advance, and moving all the marks is one
    // custom property of their container, written when it moved them by a pixel or so
    // (0.2%). Marks are rebuilt only when the actions are not the ones marked (a fork, a
    // new run); an action added at the end adds one mark.
    const actions = rp.actions;
    const n = actions.length;
    const kept = this.marked === 0 ? this.markedLast === null : actions[this.marked - 1] === this.markedLast;
    if (end > this.marksEnd * 1.002 || end < this.marksEnd) {
      this.marksEnd = end;
      this.marks.style.setProperty("--end", String(Math.max(1, end)));
    }
    if (!kept || n < this.marked) {
      this.marks.replaceChildren(...actions.slice(-MARKS_MAX).map((a) => this.#mark(a)));
    } else if (n > this.marked) {
      this.marks.append(...actions.slice(Math.max(this.marked, n - MARKS_MAX)).map((a) => this.#mark(a)));
      let over = this.marks.childElementCount - MARKS_MAX;
      while (over-- > 0) this.marks.firstElementChild.remove();
    }
    this.marked = n;
    this.markedLast = n ? actions[n - 1] : null;
  }

  #trail() {
    const quiet = performance.now() - this.skippedAt;
    this.trailing = quiet >= TRAILING_MS ? null : setTimeout(() => this.#trail(), TRAILING_MS - quiet);
    if (!this.trailing) this.update();
  }

  #mark(a) {
    const m = this.el.ownerDocument.createElement("span");
    m.className = `tl-mark op-${a.op}`;
    m.style.setProperty("--at", String(a.us));
    m.title = `${fmt(a.us)}: ${a.op}`;
    return m;
  }
}
