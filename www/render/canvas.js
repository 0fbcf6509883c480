// The canvas laid over the cluster SVG. What moves every frame (messages in flight, the
// draining election-timer rings) is drawn here, all of it once per frame, instead of
// moving SVG elements, each of which costs a style, layout and paint pass of its own.
//
// The layers describe a frame (begin(), then end()); render/painter.js paints it. Where
// the browser can (OffscreenCanvas), the painting runs in a worker that owns the canvas,
// so the main thread only sends a few numbers per message: painting a canvas, and
// handing the picture to the compositor, cost the main thread 1.5 ms or more per frame
// in Chromium without a GPU. Elsewhere (or if a worker cannot start) it paints in place.
//
// The canvas covers the SVG's box exactly (CSS: top left of the figure) and takes no
// pointer events, so clicks and drags reach the SVG below. Its size comes from a
// ResizeObserver on the SVG, in device pixels where the browser reports them, so it is
// crisp at any devicePixelRatio and after any resize; a frame never reads layout.

import { VIEW } from "../geometry.js";
import { painter } from "./painter.js";
import { GLYPHS } from "../palette.js";
import { glyphParts, GLYPH_KINDS, HIT_R, COUNT_FONT, COUNT_FILL } from "./messages.js";
import { CROWN } from "./nodes.js";

/** What the painter needs besides the canvas: glyph shapes and styles (plain data). */
function painterInit() {
  const parts = {};
  for (const k of GLYPH_KINDS) parts[k] = glyphParts(GLYPHS[k].svg);
  const R = VIEW.nodeRadius;
  return { kinds: GLYPH_KINDS, parts, style: { countFont: COUNT_FONT, countFill: COUNT_FILL, hitR: HIT_R, crown: CROWN, rimR: R + 8, ringR: R + 6 } };
}

/**
 * The event share.js dispatches on the cluster SVG when it exports a copy of it
 * (detail: { copy }): the layers drawing on the canvas add what they drew to the copy, as
 * SVG. An event rather than an import, because share.js is bundled in a chunk of its own.
 */
export const EXPORT_EVENT = "rp-export-svg";

export class ClusterCanvas {
  /**
   * @param {SVGSVGElement} svg the cluster view (its viewBox is this.view, preserveAspectRatio meet)
   * @param {HTMLCanvasElement} canvas
   * @param {() => void} requestDraw called when the canvas was resized (and so cleared)
   */
  constructor(svg, canvas, requestDraw) {
    this.svg = svg;
    this.canvas = canvas;
    this.requestDraw = requestDraw;
    this.view = VIEW;
    /** How many times larger than in the wide view nodes are drawn (geometry.js groupLayout). */
    this.nodeScale = 1;
    this.worker = null;
    this.paint = null;
    this.frame = { pxW: 0, pxH: 0, t: [1, 1, 0, 0], ppu: 1, k: 1, msgs: new Float32Array(0), n: 0, cuts: [], crowns: [], rings: [], ringColors: [] };
    this.url = null;
    this.#startPainter(painterInit());
    /** Layers that draw here, each with exportInto(copy). */
    this.layers = [];
    this.onExport = (e) => {
      for (const layer of this.layers) layer.exportInto(e.detail.copy);
    };
    svg.addEventListener(EXPORT_EVENT, this.onExport);
    this.cssW = 0;
    this.cssH = 0;
    this.pxW = 0;
    this.pxH = 0;
    this.ro = new ResizeObserver((entries) => this.#resize(entries[entries.length - 1]));
    try {
      this.ro.observe(svg, { box: "device-pixel-content-box" });
    } catch {
      this.ro.observe(svg);
    }
  }

  #resize(e) {
    const w = e.contentRect.width;
    const h = e.contentRect.height;
    const dpr = globalThis.devicePixelRatio || 1;
    let pxW = Math.round(w * dpr);
    let pxH = Math.round(h * dpr);
    // The exact device pixels, where the browser reports them. An emulated pixel ratio
    // (DevTools' device mode, test browsers) reports CSS pixels there: ignore those.
    const dp = e.devicePixelContentBoxSize?.[0];
    if (dp && Math.abs(dp.inlineSize - w * dpr) < 2 && Math.abs(dp.blockSize - h * dpr) < 2) {
      pxW = dp.inlineSize;
      pxH = dp.blockSize;
    }
    if (w !== this.cssW || h !== this.cssH) {
      this.cssW = w;
      this.cssH = h;
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    // The painter sizes the canvas's pixels with the next frame.
    this.pxW = pxW;
    this.pxH = pxH;
    this.requestDraw();
  }

  /** Draws in `view` (geometry.js VIEW or TALL_VIEW), the SVG's viewBox from now on. */
  setView(view) {
    this.view = view;
  }

  /** CSS pixels per view unit, and where the view's (0, 0) is in the box (viewBox, meet). */
  #fit(w, h) {
    const v = this.view;
    const s = Math.min(w / v.width, h / v.height);
    return { s, ox: (w - v.width * s) / 2 - v.x * s, oy: (h - v.height * s) / 2 - v.y * s };
  }

  #startPainter(init) {
    if (typeof this.canvas.transferControlToOffscreen === "function" && typeof Worker === "function") {
      try {
        const src = `let paint = null;\nonmessage = (e) => {\n  if (e.data.init) paint = (${painter})(e.data.init);\n  else paint(e.data);\n};\n`;
        this.url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
        const worker = new Worker(this.url);
        const off = this.canvas.transferControlToOffscreen();
        worker.postMessage({ init: { ...init, canvas: off } }, [off]);
        this.worker = worker;
        // A worker that fails to load (a page on file://, say) keeps the canvas it was
        // given: paint here, on a fresh canvas in its place.
        worker.addEventListener("error", () => {
          if (this.worker !== worker) return;
          worker.terminate();
          this.worker = null;
          const fresh = this.canvas.cloneNode(false);
          this.canvas.replaceWith(fresh);
          this.canvas = fresh;
          this.paint = painter({ ...init, canvas: fresh });
          this.requestDraw();
        });
        return;
      } catch {
        // A page that forbids blob: workers (CSP): paint here.
      }
    }
    this.paint = painter({ ...init, canvas: this.canvas });
  }

  /**
   * Starts a frame; returns its description for the layers to fill in (see painter.js),
   * or null while the canvas has no size (not laid out yet, or hidden).
   */
  begin() {
    if (!this.pxW || !this.pxH || !this.cssW || !this.cssH) return null;
    const f = this.frame;
    const { s, ox, oy } = this.#fit(this.cssW, this.cssH);
    const kx = this.pxW / this.cssW;
    const ky = this.pxH / this.cssH;
    f.pxW = this.pxW;
    f.pxH = this.pxH;
    f.t = [s * kx, s * ky, ox * kx, oy * ky];
    /** Device pixels per view unit (for shadows, which ignore the transform). */
    f.ppu = s * kx;
    f.k = this.nodeScale;
    f.n = 0;
    f.cuts = [];
    f.crowns = [];
    f.rings = [];
    f.ringColors = [];
    return f;
  }

  /** Room in the frame for `n` messages (5 numbers each); returns the array. */
  messages(n) {
    const f = this.frame;
    if (f.msgs.length < n * 5) f.msgs = new Float32Array(Math.max(n * 5, 2 * f.msgs.length, 64));
    return f.msgs;
  }

  /** Paints the frame begun by begin(). */
  end() {
    const f = this.frame;
    if (this.worker) {
      // The messages' numbers move to the worker; a fresh array is made for the next frame.
      const msgs = f.msgs.slice(0, f.n * 5);
      this.worker.postMessage({ ...f, msgs }, [msgs.buffer]);
    } else this.paint(f);
  }

  /** Client coordinates to view units. Reads layout: for event handlers, not frames. */
  toView(clientX, clientY) {
    const r = this.svg.getBoundingClientRect();
    const { s, ox, oy } = this.#fit(r.width, r.height);
    return { x: (clientX - r.left - ox) / s, y: (clientY - r.top - oy) / s };
  }

  /** View units to client coordinates. Reads layout: for event handlers and scripts. */
  toClient(x, y) {
    const r = this.svg.getBoundingClientRect();
    const { s, ox, oy } = this.#fit(r.width, r.height);
    return { x: r.left + ox + x * s, y: r.top + oy + y * s };
  }

  /** View units to CSS pixels from the SVG's top left corner (no layout read). */
  toBox(x, y) {
    const { s, ox, oy } = this.#fit(this.cssW, this.cssH);
    return { x: ox + x * s, y: oy + y * s };
  }

  destroy() {
    this.ro.disconnect();
    this.worker?.terminate();
    if (this.url) URL.revokeObjectURL(this.url);
    this.svg.removeEventListener(EXPORT_EVENT, this.onExport);
  }
}
