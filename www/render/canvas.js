// The canvas laid over the cluster SVG. What moves every frame (messages in flight, the
// draining election-timer rings) is drawn here, all of it once per frame, instead of
// moving SVG elements, each of which costs a style, layout and paint pass of its own.
//
// The canvas covers the SVG's box exactly (CSS: top left of the figure) and takes no
// pointer events, so clicks and drags reach the SVG below. Its size comes from a
// ResizeObserver on the SVG, in device pixels where the browser reports them, so it is
// crisp at any devicePixelRatio and after any resize; a frame never reads layout.

import { VIEW } from "../geometry.js";

/**
 * The event share.js dispatches on the cluster SVG when it exports a copy of it
 * (detail: { copy }): the layers drawing on the canvas add what they drew to the copy, as
 * SVG. An event rather than an import, because share.js is bundled in a chunk of its own.
 */
export const EXPORT_EVENT = "rp-export-svg";

export class ClusterCanvas {
  /**
   * @param {SVGSVGElement} svg the cluster view (its viewBox is VIEW, preserveAspectRatio meet)
   * @param {HTMLCanvasElement} canvas
   * @param {() => void} requestDraw called when the canvas was resized (and so cleared)
   */
  constructor(svg, canvas, requestDraw) {
    this.svg = svg;
    this.canvas = canvas;
    this.requestDraw = requestDraw;
    this.ctx = canvas.getContext("2d");
    /** Layers that draw here, each with exportInto(copy). */
    this.layers = [];
    this.pxPerUnit = 1;
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
    if (pxW !== this.pxW || pxH !== this.pxH) {
      this.pxW = pxW;
      this.pxH = pxH;
      this.canvas.width = pxW;
      this.canvas.height = pxH;
    }
    this.requestDraw();
  }

  /** View units per CSS pixel and the offsets of the drawing (viewBox, meet). */
  #fit(w, h) {
    const s = Math.min(w / VIEW.width, h / VIEW.height);
    return { s, ox: (w - VIEW.width * s) / 2, oy: (h - VIEW.height * s) / 2 };
  }

  /**
   * Clears the canvas and returns its context, set to draw in view units; null while
   * the canvas has no size (not laid out yet, or hidden).
   */
  begin() {
    const ctx = this.ctx;
    if (!this.pxW || !this.pxH || !this.cssW || !this.cssH) return null;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.pxW, this.pxH);
    const { s, ox, oy } = this.#fit(this.cssW, this.cssH);
    const kx = this.pxW / this.cssW;
    const ky = this.pxH / this.cssH;
    ctx.setTransform(s * kx, 0, 0, s * ky, ox * kx, oy * ky);
    /** Device pixels per view unit (for shadows, which ignore the transform). */
    this.pxPerUnit = s * kx;
    return ctx;
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
    this.svg.removeEventListener(EXPORT_EVENT, this.onExport);
  }
}
