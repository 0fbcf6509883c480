// The page's entry point: read the setup from the URL, load the wasm, mount the
// view on <main id="app">, keep the URL in step, and expose window.playground.

import init, { Playground } from "./pkg/raft_playground.js";
import { createApp } from "./app.js";
import { parseQuery, toQuery } from "./url.js";
import { recordingClass } from "./runlog.js";
import { attachTeaching, makeHub } from "./teach.js";

/** A seed for a fresh cluster: chosen by the page, so it can always be shown and shared. */
function freshSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

async function main() {
  const root = document.getElementById("app");
  const search = location.search; // read before the address bar is rewritten below
  const hub = makeHub();
  const settings = parseQuery(location.search);
  if (settings.seed === null) settings.seed = freshSeed();
  document.documentElement.classList.toggle("embedded", settings.embed);
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
  await init();
  const app = createApp(root, {
    Playground: recordingClass(Playground, hub),
    settings,
    freshSeed,
    reducedMotion,
    autoplay: true,
    onSettings: (s) => history.replaceState(null, "", toQuery(s) || location.pathname),
  });
  history.replaceState(null, "", toQuery(app.settings) || location.pathname);
  const teach = attachTeaching(app, {
    hub,
    search,
    freshSeed,
    onQuery: (extra) => history.replaceState(null, "", `${toQuery(app.settings) || "?"}&${new URLSearchParams(extra)}`.replace("?&", "?").replace(/&$/, "")),
  });
  Object.defineProperty(window, "playgroundTeach", { configurable: true, get: () => teach });
  for (const p of settings.problems) console.warn(`raft-playground: ${p}`);
  const full = app.ui.full;
  if (full) full.href = `./${toQuery({ ...app.settings, embed: false })}`;
  Object.defineProperty(window, "playground", { configurable: true, get: () => app.playground });
  Object.defineProperty(window, "playgroundApp", { configurable: true, get: () => app });
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
