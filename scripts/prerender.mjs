// The page as it looks at simulated time 0, as HTML, for dist/index.html: the built page
// shows it while its module and the wasm download, so the cluster is on screen at the first
// paint instead of after the module has run. It is made by running the page's own code
// (www/app.js, www/teach.js and the wasm, as www/main.js does) against a DOM emulation
// (linkedom) in Node, so it is the view the module then builds, not a second drawing of it.
//
// At time 0 every node is a follower in term 0 with a full election timer, whatever the seed,
// so the picture holds for any seed. It does not hold for other settings (cluster size,
// embed, a tour or run link, ...): PRERENDER_GUARD, run before the markup is parsed, marks
// the page so that its stylesheet hides the markup then. www/main.js replaces it either way.

import { parseHTML } from "linkedom";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The query keys that do not change the picture at time 0. */
const SAME_PICTURE = ["seed"];

/**
 * An inline script for <head>: on a page opened with other settings, class "rp-fresh" on
 * <html>, which PRERENDER_CSS uses to hide the time-0 markup until the module replaces it.
 */
export const PRERENDER_GUARD = `for(const k of new URLSearchParams(location.search).keys())if(!${JSON.stringify(SAME_PICTURE)}.includes(k))document.documentElement.classList.add("rp-fresh")`;
export const PRERENDER_CSS = ".rp-fresh #app>.rp-pre{visibility:hidden}";

// What the page's code needs from a browser beyond a DOM, reduced to "nothing happens".
function browserStubs(window) {
  const noop = () => {};
  class Observer {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  const ctx = new Proxy({}, { get: (_, k) => (k === "canvas" ? null : noop), set: () => true });
  window.HTMLCanvasElement.prototype.getContext = () => ctx;
  // A <select>'s value, which linkedom only reads: written as the chosen <option>'s attribute.
  const optionValue = (o) => o.getAttribute("value") ?? o.textContent;
  Object.defineProperty(window.HTMLSelectElement.prototype, "value", {
    configurable: true,
    get() {
      const o = this.querySelector("option[selected]") ?? this.querySelector("option");
      return o ? optionValue(o) : "";
    },
    set(v) {
      for (const o of this.querySelectorAll("option")) o.toggleAttribute("selected", optionValue(o) === String(v));
    },
  });
  // An <output>'s value is its text.
  Object.defineProperty(window.HTMLElement.prototype, "value", {
    configurable: true,
    get() {
      return this.localName === "output" ? this.textContent : this.getAttribute("value") ?? "";
    },
    set(v) {
      if (this.localName === "output") this.textContent = String(v);
      else this.setAttribute("value", String(v));
    },
  });
  // The log panel guesses its number of columns from the window's width before its first
  // layout (the markup leaves the panel out, but it is built all the same).
  window.innerWidth = 1280;
  window.innerHeight = 800;
  const frames = [];
  return {
    frames,
    globals: {
      window,
      document: window.document,
      location: { search: "", pathname: "/", href: "http://localhost/" },
      history: { replaceState: noop },
      matchMedia: () => ({ matches: false, addEventListener: noop, removeEventListener: noop }),
      ResizeObserver: Observer,
      IntersectionObserver: Observer,
      requestAnimationFrame: (f) => frames.push(f),
      cancelAnimationFrame: noop,
      getComputedStyle: () => new Proxy({}, { get: () => "" }),
      devicePixelRatio: 1,
      Path2D: class {
        constructor() {
          return new Proxy({}, { get: () => noop });
        }
      },
      HTMLElement: window.HTMLElement,
      Element: window.Element,
      Node: window.Node,
      CustomEvent: window.CustomEvent,
      Event: window.Event,
    },
  };
}

/**
 * The time-0 markup of the page's <main id="app">, from the source tree at `root` (www/
 * with a built www/pkg/). Returns HTML for inside <main>.
 */
export async function prerenderApp(root) {
  const { window } = parseHTML('<!doctype html><html lang="en"><head></head><body><main id="app"></main></body></html>');
  const { frames, globals } = browserStubs(window);
  const saved = new Map();
  for (const [k, v] of Object.entries(globals)) {
    saved.set(k, Object.getOwnPropertyDescriptor(globalThis, k));
    Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  try {
    const www = (p) => pathToFileURL(join(root, "www", p)).href;
    const { default: init, Playground } = await import(www("pkg/raft_playground.js"));
    await init({ module_or_path: await readFile(join(root, "www/pkg/raft_playground_bg.wasm")) });
    const { createApp } = await import(www("app.js"));
    const { attachTeaching } = await import(www("teach.js"));
    const { parseQuery } = await import(www("url.js"));
    const { recordingClass } = await import(www("runlog.js"));
    const { makeHub } = await import(www("hub.js"));
    const { EXPORT_EVENT } = await import(www("render/canvas.js"));
    const { placeAt } = await import(www("dom.js"));
    const { prefersTall, drawsSmall, viewBoxOf, groupLayout, nodeScale, TALL_VIEW, SMALL_VIEW } = await import(www("geometry.js"));

    const mount = window.document.getElementById("app");
    const hub = makeHub();
    const settings = { ...parseQuery(""), seed: 1 };
    const app = createApp(mount, { Playground: recordingClass(Playground, hub), settings, reducedMotion: false, autoplay: true });
    attachTeaching(app, { hub, search: "", freshSeed: () => 1 });
    // The first frame: nodes, links and the log panel at time 0 (a first frame advances no
    // simulated time).
    frames.splice(0).forEach((f) => f(0));
    if (app.playground.state({ logLimit: 0 }).timeMs !== 0) throw new Error("prerender: the first frame advanced the simulation");
    // The rings, which the canvas paints, as SVG (what an SVG export does).
    app.ui.svg.dispatchEvent(new window.CustomEvent(EXPORT_EVENT, { detail: { copy: app.ui.svg } }));
    const shell = app.ui.shell;
    // Only what a first screen shows: the header, controls, tour picker, cluster, timeline,
    // legend and event log. The log panel and the settings, last on the page, are left for
    // the module to add: nothing before them moves when they appear, and their bytes are
    // better spent on the wasm's download.
    for (const sel of [".rp-logs", ".rp-settings"]) shell.querySelector(sel)?.remove();
    // The seed is the page's to pick (or the link's): none shown until the module runs.
    shell.querySelector('[data-ref="seed"]')?.removeAttribute("value");
    // Form state as attributes, which is what HTML carries.
    for (const el of shell.querySelectorAll("input")) {
      if (el.type === "checkbox") el.toggleAttribute("checked", !!el.checked);
      else if (el.value !== undefined && el.value !== "" && el.dataset.ref !== "seed") el.setAttribute("value", el.value);
    }
    shell.classList.add("rp-pre");
    // In a box where the module will turn the view tall (a phone), turn it now, before the
    // first paint, so that nothing moves when the module takes over. At time 0 the nodes
    // sit where they do in either view: the viewBox changes, and each node is drawn larger.
    // Likewise where the module will draw the wide view's nodes larger (a short or narrow
    // window), but there the nodes also move: to the smaller view's circle. Only a window
    // taller than it is wide, or under 960 pixels wide or 600 tall, can want either, so
    // only there does the script ask for the layout.
    const ids = app.playground.state({ logLimit: 0 }).nodes.map((n) => n.id);
    const tall = groupLayout([ids], TALL_VIEW);
    const small = groupLayout([ids], SMALL_VIEW);
    const moves = JSON.stringify(Object.fromEntries([...small.nodes].map(([id, p]) => [id, placeAt(p, nodeScale(small.nodeRadius))])));
    const turn = window.document.createElement("script");
    turn.textContent = `(()=>{const s=document.currentScript.previousElementSibling;if(innerHeight>innerWidth||innerWidth<960||innerHeight<600){const m=parseFloat(getComputedStyle(s).maxHeight),w=s.parentNode.clientWidth,h=isFinite(m)?m:1/0,n=s.querySelectorAll(".node");if((${prefersTall})(w,h)){s.setAttribute("viewBox","${viewBoxOf(TALL_VIEW)}");for(const g of n)g.setAttribute("transform",g.getAttribute("transform")+" scale(${nodeScale(tall.nodeRadius)})")}else if((${drawsSmall})(w,h)){const t=${moves};for(const g of n)g.setAttribute("transform",t[g.dataset.nodeId])}}})()`;
    app.ui.svg.after(turn);
    const html = shell.outerHTML;
    app.destroy();
    return html;
  } finally {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(globalThis, k, d);
      else delete globalThis[k];
    }
  }
}
