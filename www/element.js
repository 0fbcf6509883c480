// <raft-playground>: the playground as a custom element, for blog posts.
//
//   <script type="module" src="https://example.org/raft/www/element.js"></script>
//   <raft-playground nodes="5" seed="7" controls="minimal" autoplay speed="0.05"></raft-playground>
//
// Attributes (all optional): nodes (3..9), seed, speed (1/1000 .. 1 of real time),
// prevote, checkquorum ("0"/"false" to turn off), loss (0..0.5), latency (ms),
// controls ("minimal" (default), "full" or "none"), autoplay, spacetime (show the
// space-time diagram), scenario (a guided tour by id, e.g. "log-replication"; see
// www/scenarios/index.js).
// Each element owns its own Playground; the wasm module is fetched and compiled once
// per page. The view lives in a shadow root, so the page's styles do not reach in
// and the playground's styles do not leak out. It pauses while scrolled out of view
// (the loop in loop.js watches the cluster with an IntersectionObserver).
// Script access: `el.playground` (the Playground, redrawn after each call), `el.app`,
// and `await el.ready`.

import init, { Playground } from "./pkg/raft_playground.js";
import { createApp } from "./app.js";
import { parseQuery } from "./url.js";

const TAG = "raft-playground";
const SETUP_ATTRS = ["nodes", "seed", "prevote", "checkquorum", "loss", "latency"];
const CONTROLS = ["minimal", "full", "none"];

// Resolved against this module, not the page, so the element works from any page.
const STYLESHEETS = ["style.css", "spacetime.css", "teach.css"].map((f) => new URL(f, import.meta.url).href);

/** Rules for the host box; they come first so the page's inherited styles are reset. */
const HOST_CSS = `
:host { all: initial; display: block; container-type: inline-size; min-width: 0; }
:host([hidden]) { display: none; }
:host(:focus) { outline: none; }
.rp { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); text-align: left;
  background: var(--bg); border: 1px solid var(--line); border-radius: 12px; padding: 8px; }
.rp.embed .rp-logs h2 { font-size: 0.85rem; }
.rp > * { min-width: 0; }
:host([controls="none"]) .rp-toolbar { display: none; }
.rp-loading { margin: 0; padding: 24px; color: #637083; font: 14px system-ui, sans-serif; text-align: center;
  background: #f7f6f3; border: 1px solid #dfe3ea; border-radius: 12px; }`;

/** Layout by the element's own width rather than the window's; after the other sheets. */
const WIDTH_CSS = `
@container (max-width: 860px) {
  .rp-main { grid-template-columns: 1fr; }
  .rp-side { grid-template-rows: auto auto; }
  .events { max-height: 200px; }
  .rp.with-st .rp-main, .rp.with-st .rp-main > .rp-side { grid-template-columns: 1fr; }
  .rp.with-st .rp-main > .rp-spacetime { grid-column: auto; grid-row: auto; }
}
@container (max-width: 480px) {
  .rp { padding: 4px; gap: 4px; }
  .rp-toolbar { gap: 4px 6px; padding: 4px 6px; }
  .rp-toolbar button { padding: 4px 8px; font-size: 0.85rem; }
  .rp-toolbar .speed { font-size: 0; gap: 0; }
  .rp-toolbar .speed output { display: none; }
  .rp-toolbar input[type="range"], .rp.embed .rp-toolbar input[type="range"] { width: 72px; }
  .rp-hint { display: none; }
  .log-label .role { display: none; }
  .rp.embed .st-plot { min-height: 220px; }
  .st-note { display: none; }
}`;

let wasmReady = null;
/** Fetches and instantiates the wasm module once, for every element on the page. */
function loadWasm() {
  wasmReady ??= init();
  return wasmReady;
}

let sheetsReady = null;
/**
 * The stylesheets as constructed sheets shared by all shadow roots (parsed once), or
 * null where they cannot be fetched (file://): then each shadow root links them.
 */
function loadSheets() {
  sheetsReady ??= (async () => {
    const host = new CSSStyleSheet();
    host.replaceSync(HOST_CSS);
    const width = new CSSStyleSheet();
    width.replaceSync(WIDTH_CSS);
    try {
      const texts = await Promise.all(
        STYLESHEETS.map(async (href) => {
          const r = await fetch(href);
          if (!r.ok) throw new Error(`${href}: ${r.status}`);
          return r.text();
        }),
      );
      const sheets = texts.map((t) => {
        const s = new CSSStyleSheet();
        s.replaceSync(t);
        return s;
      });
      return { host, sheets, width, linked: false };
    } catch {
      return { host, sheets: [], width, linked: true };
    }
  })();
  return sheetsReady;
}

function freshSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

function boolAttr(v) {
  return v !== null && v !== "0" && v !== "false";
}

export class RaftPlaygroundElement extends HTMLElement {
  static get observedAttributes() {
    return [...SETUP_ATTRS, "speed", "controls", "autoplay", "spacetime", "scenario"];
  }

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._app = null;
    this._mounting = 0; // increases with every mount or unmount, to abandon stale mounts
    this._seed = null; // the seed picked for an element without a seed attribute
    this.ready = new Promise((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
    });
    this.ready.catch(() => {}); // reported once, in #mount
  }

  /** The Playground (wrapped so that script calls redraw the view), or null before `ready`. */
  get playground() {
    return this._app ? this._app.playground : null;
  }

  /** The mounted view (see app.js), or null before `ready`. */
  get app() {
    return this._app;
  }

  play() {
    this._app?.play();
  }

  pause() {
    this._app?.pause();
  }

  connectedCallback() {
    // Focusable by a click anywhere inside (not by Tab: its controls are), so that Space
    // plays and pauses the element it was pressed in, and no other.
    if (!this.hasAttribute("tabindex")) this.tabIndex = -1;
    if (!this._app) this.#mount();
  }

  disconnectedCallback() {
    // Moving the element fires disconnect then connect: only tear down if it stays out.
    queueMicrotask(() => {
      if (!this.isConnected) this.#unmount();
    });
  }

  attributeChangedCallback(name, oldValue, value) {
    const app = this._app;
    if (!app || oldValue === value) return;
    if (SETUP_ATTRS.includes(name)) {
      const s = this.#settings();
      const patch = {};
      for (const k of ["nodes", "seed", "preVote", "checkQuorum", "loss", "latency"]) patch[k] = s[k];
      app.reset(patch);
    } else if (name === "speed") {
      app.setSpeed(this.#settings().speed);
    } else if (name === "autoplay") {
      if (value !== null) app.play();
      else app.pause();
    } else if (name === "spacetime") {
      app.spacetime.show(boolAttr(value));
      app.redraw();
    } else if (name === "controls" || name === "scenario") {
      this.#unmount();
      this.#mount();
    }
  }

  /** Page settings (see url.js) from the attributes, checked the way links are. */
  #settings() {
    const q = new URLSearchParams();
    for (const k of [...SETUP_ATTRS, "speed"]) {
      const v = this.getAttribute(k);
      if (v === null) continue;
      q.set(k, (k === "prevote" || k === "checkquorum") && v === "" ? "1" : v);
    }
    const s = parseQuery(`?${q}`);
    for (const p of s.problems) console.warn(`<${TAG}>: ${p.replace(/=/, ' attribute ')}`);
    if (s.seed === null) {
      this._seed ??= freshSeed();
      s.seed = this._seed;
    }
    const controls = this.getAttribute("controls") ?? "minimal";
    if (!CONTROLS.includes(controls)) console.warn(`<${TAG}>: controls="${controls}" is not one of ${CONTROLS.join(", ")}; using minimal`);
    s.embed = controls !== "full";
    delete s.problems;
    return s;
  }

  /**
   * The guided-tour modules (loaded only for an element with a scenario) and the
   * scenario itself, or null with a console warning if there is no such scenario.
   */
  async #teaching() {
    const name = this.getAttribute("scenario");
    if (!name) return null;
    const [{ loadTour, attachTeaching }, { makeHub, recordingClass }] = await Promise.all([import("./teach.js"), import("./recording.js")]);
    if (!(await loadTour(name))) {
      console.warn(`<${TAG}>: there is no scenario "${name}"; showing free play`);
      return null;
    }
    return { name, attachTeaching, makeHub, recordingClass };
  }

  async #mount() {
    const token = ++this._mounting;
    const root = this.shadowRoot;
    if (!root.firstChild) {
      const p = document.createElement("p");
      p.className = "rp-loading";
      p.textContent = "Loading the Raft playground…";
      root.append(p);
    }
    try {
      const [css, , teaching] = await Promise.all([loadSheets(), loadWasm(), this.#teaching()]);
      if (token !== this._mounting || !this.isConnected) return;
      root.replaceChildren();
      root.adoptedStyleSheets = [css.host, ...css.sheets, css.width];
      if (css.linked) {
        // Adopted sheets cascade after the shadow root's own, so the width rules still win.
        for (const href of STYLESHEETS) {
          const link = document.createElement("link");
          link.rel = "stylesheet";
          link.href = href;
          root.append(link);
        }
      }
      const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
      const hub = teaching ? teaching.makeHub() : null;
      this._app = createApp(root, {
        Playground: teaching ? teaching.recordingClass(Playground, hub) : Playground,
        settings: this.#settings(),
        freshSeed,
        reducedMotion,
        autoplay: this.hasAttribute("autoplay"),
        spacetime: boolAttr(this.getAttribute("spacetime")),
        keyTarget: this,
      });
      if (teaching) {
        // The tour player, timeline and run links of the page, inside this element; the
        // page's address bar is left alone. A speed attribute overrides the tour's own;
        // the tour itself decides when the cluster runs (each step plays to its condition).
        const q = new URLSearchParams({ scenario: teaching.name });
        if (this.hasAttribute("speed")) q.set("speed", this.getAttribute("speed"));
        this._teach = teaching.attachTeaching(this._app, { hub, search: `?${q}`, freshSeed, location: new URL(`../index.html`, import.meta.url).href });
      }
      this.dataset.ready = "true";
      this._resolve(this);
      this.dispatchEvent(new Event("ready"));
    } catch (e) {
      const p = document.createElement("p");
      p.className = "rp-loading";
      p.textContent = `The Raft playground could not start: ${e instanceof Error ? e.message : e}`;
      root.replaceChildren(p);
      console.error(e);
      this._reject(e);
    }
  }

  #unmount() {
    this._mounting++;
    this._app?.destroy();
    this._app = null;
    this._teach = null;
    delete this.dataset.ready;
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, RaftPlaygroundElement);
