// The page's entry point: read the setup from the URL, load the wasm, mount the view on
// <main id="app"> and expose window.playground. Only what the first drawing of the cluster
// needs comes first; once it is on screen the address bar is brought in step and the
// teaching layer (tours, timeline, sharing: teach.js) is loaded with import(); the tours
// themselves only when one is picked (tours.js). A link to a run or a tour needs them for its
// first frame, so they are fetched alongside the wasm.
//
// Performance marks (DevTools, bench/page-perf.mjs): rp:module (this module runs),
// rp:wasm (wasm instantiated), rp:app (view built; the first frame follows),
// rp:teach (teaching layer attached, <html data-ready="true">).

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
  const teachFirst = query.has("run") || query.has("scenario");
  const teachReady = teachFirst ? import("./teach.js") : null;
  const toursReady = query.has("scenario") ? import("./scenarios/index.js") : null;
  const hub = makeHub();
  const settings = parseQuery(search);
  if (settings.seed === null) settings.seed = freshSeed();
  document.documentElement.classList.toggle("embedded", settings.embed);
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const url = (s) => toQuery(s) || location.pathname;
  let shown = false; // the address bar is left alone until the first frame is on screen
  await wasmReady;
  performance.mark("rp:wasm");
  const early = teachFirst ? (await Promise.all([teachReady, toursReady]))[0] : null;
  const app = createApp(root, {
    Playground: recordingClass(Playground, hub),
    settings,
    freshSeed,
    reducedMotion,
    autoplay: true,
    onSettings: (s) => shown && history.replaceState(null, "", url(s)),
  });
  performance.mark("rp:app");
  Object.defineProperty(window, "playground", { configurable: true, get: () => app.playground });
  Object.defineProperty(window, "playgroundApp", { configurable: true, get: () => app });
  const full = app.ui.full;
  if (full) full.href = `./${toQuery({ ...app.settings, embed: false })}`;
  for (const p of settings.problems) console.warn(`raft-playground: ${p}`);

  const attach = ({ attachTeaching }) =>
    attachTeaching(app, {
      hub,
      search,
      freshSeed,
      onQuery: (extra) => history.replaceState(null, "", `${toQuery(app.settings) || "?"}&${new URLSearchParams(extra)}`.replace("?&", "?").replace(/&$/, "")),
    });
  const showUrl = () => {
    shown = true;
    history.replaceState(null, "", url(app.settings));
  };
  let teach = null;
  if (early) {
    // A run or tour link opens its run before the first frame is drawn.
    showUrl();
    teach = attach(early);
  }
  await afterNextPaint();
  if (!early) {
    showUrl();
    teach = attach(await import("./teach.js"));
  }
  Object.defineProperty(window, "playgroundTeach", { configurable: true, get: () => teach });
  performance.mark("rp:teach");
  document.documentElement.dataset.ready = "true";
}

main().catch((e) => {
  const root = document.getElementById("app");
  if (window.playgroundApp) {
    // The cluster runs; only the teaching layer failed (its chunk could not be loaded).
    console.error(e);
    return;
  }
  const p = document.createElement("p");
  p.className = "rp-fatal";
  p.textContent = `The playground could not start: ${e instanceof Error ? e.message : e}`;
  root.replaceChildren(p);
  console.error(e);
});
