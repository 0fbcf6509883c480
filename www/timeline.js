// The timeline under the cluster: a slider over the whole run, from 0 to the furthest
// moment reached. Dragging it jumps to that moment (replayed from the nearest
// checkpoint); the run's recorded actions are marked on it. Acting while in the past
// forks the run there; playing from the past replays the recorded future.

const fmt = (us) => `${(us / 1e6).toFixed(3)} s`;
const MARKS_MAX = 200;

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
      <button type="button" class="tl-back" title="Back 1 s of simulated time" aria-label="Back one second">−1 s</button>
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

    this.range.addEventListener("input", () => this.#scrub(Number(this.range.value) * 1000));
    this.range.addEventListener("pointerdown", () => (this.dragging = true));
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

  /** Brings the slider, the clock and the marks in line with the playground. */
  update() {
    const rp = this.current();
    if (!rp) return;
    const end = rp.endTimeUs;
    const now = rp.timeUs;
    const maxMs = String(Math.ceil(end / 1000));
    if (this.range.max !== maxMs) this.range.max = maxMs;
    if (!this.dragging && !this.pending) this.range.value = String(Math.round(now / 1000));
    this.out.value = `${fmt(now)} of ${fmt(end)}`;
    const past = rp.inPast;
    this.el.classList.toggle("in-past", past);
    this.endBtn.disabled = !past;
    this.note.textContent = past ? "In the past: Play replays what happened; acting here starts a new future." : "";
    // The marks sit at a share of the run's length, which grows on every advance; they are
    // laid out again only when the length grew by 0.2% (a pixel or so) or the actions are
    // not the ones marked, not on every frame. An action added at the end adds one mark.
    const actions = rp.actions;
    const n = actions.length;
    const kept = this.marked === 0 ? this.markedLast === null : actions[this.marked - 1] === this.markedLast;
    if (end > this.marksEnd * 1.002 || end < this.marksEnd || !kept || n < this.marked) {
      this.marksEnd = end;
      this.marks.replaceChildren(...actions.slice(-MARKS_MAX).map((a) => this.#mark(a, end)));
    } else if (n > this.marked) {
      this.marks.append(...actions.slice(Math.max(this.marked, n - MARKS_MAX)).map((a) => this.#mark(a, this.marksEnd)));
      while (this.marks.childElementCount > MARKS_MAX) this.marks.firstElementChild.remove();
    }
    this.marked = n;
    this.markedLast = n ? actions[n - 1] : null;
  }

  #mark(a, end) {
    const m = this.el.ownerDocument.createElement("span");
    m.className = `tl-mark op-${a.op}`;
    m.style.left = `${end ? (100 * a.us) / end : 0}%`;
    m.title = `${fmt(a.us)}: ${a.op}`;
    return m;
  }
}
