// The scenario player: a caption bar above the cluster that walks the reader through a
// scenario (see docs/scenarios.md for the format), step by step. Each step applies its
// actions through the recorded playground, then lets the cluster run (animated) until
// the step's condition holds, checked at every whole simulated ms so the stopping point
// depends only on the run, never on frame timing. Back jumps to the exact earlier state
// (a replay); the reader may poke the cluster at any step and then resume the guide.

import { TOURS, loadTour } from "./tours.js";

const text = (v, s, ctx) => {
  try {
    return typeof v === "function" ? v(s, ctx) : v ?? "";
  } catch {
    return ""; // a caption may name things that exist only once the step has happened
  }
};

// A caption that names something missing from the state it was given ("server undefined").
const broken = (t) => /\b(undefined|NaN|null)\b/.test(t);

/**
 * What the caption bar says about `step` in one of the guide's statuses: "running" (its
 * condition does not hold yet), "poked" (the reader changed the cluster), "timeout" or
 * "done". A caption describes the moment its step's condition held, so it is filled in
 * only from that moment's state, `atEnd` (null while the step has not finished), never
 * from the live state `now` on the way there or after the reader's changes.
 * Returns `{ caption, status }`: the caption and the status line under it.
 */
export function guideText(step, status, { now, atEnd, ctx, last = false }) {
  const waiting = () => {
    const w = text(step.until?.waitingFor, atEnd ?? now, ctx);
    return w && !broken(w) ? w : "the cluster";
  };
  let caption = "…";
  if (atEnd) {
    caption = text(step.caption, atEnd, ctx);
    if (!caption || broken(caption)) caption = `This step waits for ${waiting()}.`;
  }
  const line =
    status === "running"
      ? `watching: ${waiting()}…`
      : status === "timeout"
        ? `That did not happen within ${step.until?.withinMs ?? 5000} ms of simulated time. Next continues anyway.`
        : status === "poked"
          ? "You changed the cluster: explore, then resume the guide."
          : last
            ? "The end of this tour. Explore freely, or pick another tour."
            : status.startsWith("This step")
              ? status
              : "";
  return { caption, status: line };
}

/** Page settings (url.js) that match Playground options, for the controls to show. */
export function settingsFor(o = {}) {
  const s = {};
  if (o.seed !== undefined) s.seed = o.seed;
  if (o.nodes !== undefined) s.nodes = o.nodes;
  if (o.preVote !== undefined) s.preVote = o.preVote;
  if (o.checkQuorum !== undefined) s.checkQuorum = o.checkQuorum;
  s.loss = o.lossRatio ?? 0;
  if (Array.isArray(o.latencyMs)) s.latency = Math.round((o.latencyMs[0] + o.latencyMs[1]) / 2);
  s.faults = Object.entries(o.faults ?? {})
    .filter(([, on]) => on)
    .map(([name]) => name);
  return s;
}

export class Guide {
  /**
   * @param {HTMLElement} host the caption bar goes just before this element
   * @param {object} env { app, current: () => RecordedPlayground, onUrl(scenarioId|null, step) }
   */
  constructor(host, env) {
    this.env = env;
    const doc = host.ownerDocument;
    const el = doc.createElement("section");
    el.className = "rp-guide";
    el.setAttribute("aria-label", "Guided scenario");
    el.innerHTML = `
      <div class="guide-head">
        <span class="guide-pick"><span aria-hidden="true">Guided tour</span>
          <select class="guide-select" aria-label="Guided tour"><option value="">Free play</option>${TOURS.map((s) => `<option value="${s.id}">${s.title}</option>`).join("")}</select>
        </span>
        <strong class="guide-title"></strong>
        <span class="guide-count"></span>
      </div>
      <p class="guide-caption" aria-live="polite"></p>
      <div class="guide-foot">
        <button type="button" class="guide-back">◀ Back</button>
        <button type="button" class="guide-next primary">Next ▶</button>
        <button type="button" class="guide-resume" hidden>Resume the guide</button>
        <span class="guide-status" role="status"></span>
      </div>`;
    host.before(el);
    this.el = el;
    this.q = (c) => el.querySelector(c);
    this.q(".guide-select").addEventListener("change", (e) =>
      this.pick(e.target.value)
        .then(() => this.scenario && this.#reveal())
        .catch((err) => {
          console.error(err); // the tours' chunk could not be loaded
          this.render();
        }),
    );
    this.q(".guide-back").addEventListener("click", () => {
      this.back();
      this.#reveal();
    });
    this.q(".guide-next").addEventListener("click", () => {
      this.next();
      this.#reveal();
    });
    this.q(".guide-resume").addEventListener("click", () => this.resume());
    this.scenario = null;
    this.guiding = false;
    this.starting = false;
    this.picks = 0; // counts pick() calls, so that only the latest one starts its tour
    this.render();
  }

  /**
   * Starts the tour with this id at step `stepNo` once it is loaded (www/tours.js), or
   * ends the current one for "" (free play). Resolves to false if there is no such tour;
   * rejects if the tours could not be loaded.
   */
  async pick(id, stepNo = 1) {
    const mine = ++this.picks;
    if (!id) {
      this.exit();
      return true;
    }
    const scenario = await loadTour(id);
    if (mine !== this.picks) return true; // a later pick (or exit) took over
    if (!scenario) {
      this.render();
      return false;
    }
    this.start(scenario, stepNo);
    return true;
  }

  get rp() {
    return this.env.current();
  }

  /**
   * On a phone the caption box and the cluster under it seldom fit the screen together
   * with the header and the controls above them: after the reader picks a tour or moves
   * a step, scroll the caption box to the top if that brings the whole cluster into view.
   * Only in a page of its own (not in a shadow root: an element leaves a post's scrolling
   * alone) and on a narrow screen, where the page's own CSS also turns compact.
   */
  #reveal() {
    const doc = this.el.ownerDocument;
    const win = doc.defaultView;
    const svg = this.el.parentNode?.querySelector(".rp-cluster svg");
    if (this.el.getRootNode() !== doc || !svg || !win.matchMedia("(max-width: 560px)").matches) return;
    const top = this.el.getBoundingClientRect().top;
    const bottom = svg.getBoundingClientRect().bottom;
    if ((top >= 0 && bottom <= win.innerHeight) || bottom - top > win.innerHeight) return;
    const smooth = !win.matchMedia("(prefers-reduced-motion: reduce)").matches;
    win.scrollBy({ top, behavior: smooth ? "smooth" : "instant" });
  }

  /** Starts `scenario` and shows step `stepNo` (1-based); earlier steps run at once. */
  start(scenario, stepNo = 1) {
    const app = this.env.app;
    this.scenario = scenario;
    this.i = -1;
    this.marks = [];
    this.ctx = {};
    this.poked = false;
    this.status = "";
    const setup = scenario.setup ?? {};
    this.starting = true;
    try {
      app.reset({ ...settingsFor(setup.options), ...(setup.speed && !this.env.speedFixed ? { speed: setup.speed } : {}) });
    } finally {
      this.starting = false;
    }
    app.pause();
    this.rp.load({ options: setup.options ?? {}, actions: [], endUs: 0 });
    app.resync();
    const n = Math.max(1, Math.min(stepNo, scenario.steps.length));
    for (let i = 0; i < n - 1; i++) this.#runStep(i, false);
    this.#runStep(n - 1, true);
  }

  exit() {
    if (!this.scenario) return;
    this.rp?.unwatch();
    this.scenario = null;
    this.env.onUrl?.(null, 0);
    this.render();
  }

  // Runs step i from the current position: its actions, then until its condition holds.
  #runStep(i, live) {
    const step = this.scenario.steps[i];
    const rp = this.rp;
    this.i = i;
    this.marks.length = i;
    this.poked = false;
    this.marks[i] = { start: rp.position(), startCtx: structuredClone(this.ctx) };
    this.guiding = true;
    try {
      const acts = step.actions;
      if (typeof acts === "function") acts(rp, rp.state(), this.ctx);
      else for (const [op, ...args] of acts ?? []) rp[op](...args);
    } catch (e) {
      this.status = `This step's action failed: ${e.message ?? e}`;
    } finally {
      this.guiding = false;
    }
    // A step with no actions goes on from where the last one stopped, and the page is in
    // sync there. Resyncing would also re-arm the page's pause at a safety violation, so
    // a tour could never play on past the checker's first finding.
    if (step.actions) this.env.app.resync();
    const until = step.until;
    if (!until) return this.#finish(i, "done");
    const deadline = rp.timeUs + Math.round((until.withinMs ?? 5000) * 1000);
    let timedOut = false;
    const test = (s) => {
      if (until.test(s, this.ctx)) return true;
      if (Math.round(s.timeMs * 1000) >= deadline) return (timedOut = true);
      return false;
    };
    if (test(rp.state())) return this.#finish(i, timedOut ? "timeout" : "done");
    if (!live) {
      rp.runUntil(test, (until.withinMs ?? 5000) + 1);
      return this.#finish(i, timedOut ? "timeout" : "done");
    }
    this.status = "running";
    this.render();
    rp.watchUntil(test, () =>
      queueMicrotask(() => {
        this.env.app.pause();
        this.#finish(i, timedOut ? "timeout" : "done");
      }),
    );
    this.env.app.play();
  }

  #finish(i, status) {
    const step = this.scenario.steps[i];
    if (status === "done" && step.after) {
      this.guiding = true;
      try {
        step.after(this.rp, this.rp.state(), this.ctx);
      } finally {
        this.guiding = false;
      }
    }
    this.marks[i].end = this.rp.position();
    this.marks[i].ctx = structuredClone(this.ctx);
    this.marks[i].state = this.rp.state(); // what the caption describes, whatever the reader does next
    this.status = status;
    this.env.app.resync();
    this.env.onUrl?.(this.scenario.id, i + 1);
    this.render();
  }

  next() {
    if (!this.scenario || this.status === "running") return;
    const i = this.i + 1;
    if (i >= this.scenario.steps.length) return;
    const m = this.marks[i];
    if (m && m.end && !this.poked) return this.#show(i); // already played: replay exactly
    if (this.poked) {
      if (!this.marks[this.i]?.end) return this.resume();
      this.#restore(this.i);
    }
    this.#runStep(i, true);
  }

  back() {
    if (!this.scenario || this.i <= 0) return;
    this.rp.unwatch();
    this.#show(this.i - 1);
  }

  /** After the reader poked the cluster: back to where the guide left off. */
  resume() {
    if (!this.scenario) return;
    const m = this.marks[this.i];
    if (m?.end) this.#show(this.i);
    else {
      this.#restoreTo(m.start, m.startCtx);
      this.#runStep(this.i, true);
    }
  }

  #restore(i) {
    this.#restoreTo(this.marks[i].end, this.marks[i].ctx);
  }

  #restoreTo(pos, ctx) {
    this.rp.unwatch();
    this.env.app.pause();
    this.rp.seek(pos);
    this.ctx = structuredClone(ctx);
    this.poked = false;
    this.env.app.resync();
  }

  // Shows step i as it was when its condition was met (replayed to that exact moment).
  #show(i) {
    this.#restoreTo(this.marks[i].end, this.marks[i].ctx);
    this.i = i;
    this.status = "done";
    this.env.onUrl?.(this.scenario.id, i + 1);
    this.render();
  }

  /** Called on every recorded action: one the guide did not make is the reader's. */
  noticeAction() {
    if (!this.scenario || this.guiding) return;
    if (this.status === "running") this.rp.unwatch();
    this.poked = true;
    this.status = "poked";
    this.render();
  }

  render() {
    const sc = this.scenario;
    this.el.classList.toggle("active", !!sc);
    this.q(".guide-select").value = sc ? sc.id : "";
    const foot = this.q(".guide-foot");
    foot.hidden = !sc;
    this.q(".guide-caption").hidden = !sc;
    if (!sc) {
      this.q(".guide-title").textContent = "";
      this.q(".guide-count").textContent = "";
      this.el.removeAttribute("data-scenario");
      return;
    }
    const step = sc.steps[this.i];
    const mark = this.marks[this.i];
    this.el.dataset.scenario = sc.id;
    this.el.dataset.step = String(this.i + 1);
    this.el.dataset.status = this.status;
    this.q(".guide-title").textContent = sc.title;
    this.q(".guide-count").textContent = `step ${this.i + 1} of ${sc.steps.length}`;
    const last = this.i === sc.steps.length - 1;
    const ended = !!mark?.end;
    const shown = guideText(step, this.status, { now: this.rp.state(), atEnd: ended ? mark.state : null, ctx: ended ? mark.ctx : this.ctx, last });
    this.q(".guide-caption").textContent = shown.caption;
    this.q(".guide-back").disabled = this.i <= 0 || this.status === "running";
    this.q(".guide-next").disabled = last || this.status === "running";
    this.q(".guide-resume").hidden = !this.poked;
    this.q(".guide-status").textContent = shown.status;
  }
}
