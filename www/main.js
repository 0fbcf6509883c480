// The page's entry point: read the setup from the URL, load the wasm, mount the view on
// <main id="app"> and expose window.playground. The view waits for the wasm, this module and
// the teaching layer's shell (teach.js: timeline, sharing, tour picker), which the built page
// fetches alongside them: attached before the view's first frame, it moves nothing once the
// cluster is drawn (attached after, it pushed the whole view down). The built page shows the
// view at time 0 from its HTML meanwhile (scripts/prerender.mjs). The tours themselves
// are loaded when one is picked (tours.js), or with the page for a link to a tour; sharing
// (share.js) when first used, or with the page for a link to a run. The address bar is
// brought in step after the first frame.
//
// Performance marks (DevTools): rp:module (this module runs), rp:wasm (wasm instantiated),
// rp:view (the cluster view built), rp:teach (teaching shell attached; the first frame
// follows).

import init, { Playground } from "./pkg/raft_playground.js";
import { createApp } from "./app.js";
import { parseQuery, toQuery } from "./url.js";
import { recordingClass } from "./runlog.js";
import { makeHub } from "./hub.js";

performance.mark("rp:module");
// Fetch and compile the wasm from the start (the page preloads it; init streams it).
const wasmReady = init();
wasmReady.catch(() => {}); // reported by main()

/** A seed for a fresh cluster: chosen by the page, so it can always be shown and shared. */
function freshSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** Resolves once the frame requested now has been drawn (at once while the tab is hidden). */
function afterNextPaint() {
  return new Promise((resolve) => {
    const later = () => setTimeout(resolve, 0);
    if (document.visibilityState === "hidden") later();
    else requestAnimationFrame(later);
  });
}

async function main() {
  const root = document.getElementById("app");
  const search = location.search; // read before the address bar is rewritten below
  const query = new URLSearchParams(search);
  const link = query.has("run") || query.has("scenario"); // a link to a run or a tour
  const teachReady = import("./teach.js").catch((e) => {
    console.error(e); // the cluster is drawn all the same, without the teaching layer
    return null;
  });
  const toursReady = query.has("scenario") ? import("./scenarios/index.js").catch(() => null) : null;
  const shareReady = query.has("run") ? import("./share.js").catch(() => null) : null;
  const hub = makeHub();
  const settings = parseQuery(search);
  if (settings.seed === null) settings.seed = freshSeed();
  document.documentElement.classList.toggle("embedded", settings.embed);
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const url = (s) => toQuery(s) || location.pathname;
  let shown = false; // the address bar is left alone until the first frame is on screen
  const showUrl = () => {
    shown = true;
    history.replaceState(null, "", url(app.settings));
  };
  await wasmReady;
  performance.mark("rp:wasm");
  const [teaching, , share] = await Promise.all([teachReady, toursReady, shareReady]);
  // The built page's <main> holds the view at time 0 (scripts/prerender.mjs), shown while
  // this module and the wasm download: the same markup, built now for real in its place,
  // once a frame has painted it (building the view first would hold back that first paint).
  // That frame is on its way to the screen then: waiting until it was presented (the
  // first-contentful-paint entry) made the page live 40 ms later for nothing (15
  // alternating cold loads each: the same first paint, 192 ms median). Hidden, for a page
  // opened with other settings, it is never painted: no wait then.
  if (root.firstElementChild) {
    if (!document.documentElement.classList.contains("rp-fresh")) await afterNextPaint();
    root.replaceChildren();
  }
  const app = createApp(root, {
    Playground: recordingClass(Playground, hub),
    settings,
    freshSeed,
    reducedMotion,
    autoplay: true,
    onSettings: (s) => shown && history.replaceState(null, "", url(s)),
  });
  performance.mark("rp:view");
  Object.defineProperty(window, "playground", { configurable: true, get: () => app.playground });
  Object.defineProperty(window, "playgroundApp", { configurable: true, get: () => app });
  const full = app.ui.full;
  if (full) full.href = `./${toQuery({ ...app.settings, embed: false })}`;
  for (const p of settings.problems) console.warn(`raft-playground: ${p}`);

  // A run or tour link opens its run (and writes its own address) before the first frame.
  if (link) showUrl();
  const teach = teaching?.attachTeaching(app, {
    hub,
    search,
    freshSeed,
    share,
    problems: settings.problems,
    onQuery: (extra) => history.replaceState(null, "", `${toQuery(app.settings) || "?"}&${new URLSearchParams(extra)}`.replace("?&", "?").replace(/&$/, "")),
  });
  Object.defineProperty(window, "playgroundTeach", { configurable: true, get: () => teach });
  performance.mark("rp:teach");
  await afterNextPaint();
  if (!link) showUrl();
  document.documentElement.dataset.ready = "true";
}

main().catch((e) => {
  const root = document.getElementById("app");
  const p = document.createElement("p");
  p.className = "rp-fatal";
  p.textContent = `The playground could not start: ${e instanceof Error ? e.message : e}`;
  root.replaceChildren(p);
  console.error(e);
});
