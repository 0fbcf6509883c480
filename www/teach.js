// Wires the teaching features onto one mounted view (createApp's result): the
// timeline (time travel), sharing (run links, trace/SVG export, import) and the
// guided scenarios. It reads `run`, `scenario` and `step` from the page's query. Sharing
// (share.js) is loaded when first used, or by the page with it for a `run` link.
// The page fetches it with import() alongside the wasm and attaches it before the first
// frame, so nothing moves once the cluster is on screen (a production build makes it a
// chunk of its own, preloaded; see scripts/make-dist.mjs).

import { Timeline } from "./timeline.js";
import { Guide, settingsFor } from "./guide.js";
import { DEFAULTS } from "./url.js";

/** Sharing (share.js: run links, trace and SVG export, import), loaded on first use. */
const loadShare = () => import("./share.js");

// <raft-playground> loads a tour with this module (and recording.js).
export { loadTour } from "./tours.js";

/**
 * @param {object} app createApp's result
 * @param {object} env { hub, search (the query string the page was opened with),
 *   freshSeed(), location (for links), onQuery(params) to update the address bar,
 *   share (share.js, if the caller has it already: a `run` link opens before the
 *   first frame only then), problems (url.js parseQuery's, told on the page) }
 */
export function attachTeaching(app, env) {
  const { hub } = env;
  const doc = app.ui.shell.ownerDocument;
  const current = () => hub.current;
  const query = new URLSearchParams(env.search ?? "");

  const notice = doc.createElement("p");
  notice.className = "rp-notice";
  notice.setAttribute("role", "alert");
  notice.hidden = true;
  app.ui.shell.querySelector(".rp-toolbar").after(notice);
  const say = (msg) => {
    notice.textContent = msg;
    notice.hidden = !msg;
  };

  // The timeline and the share bar sit right under the cluster drawing (outside its figure,
  // so the page's banners inside the figure never cover them).
  const under = doc.createElement("div");
  under.className = "rp-under";
  (app.ui.svg.closest("figure") ?? app.ui.svg).after(under);
  const timeline = new Timeline(under, app, current);

  const bar = doc.createElement("div");
  bar.className = "rp-share";
  bar.innerHTML = `
    <button type="button" class="share-copy" title="Copy a link that reopens this run at this moment">Copy link</button>
    <input class="share-link" type="text" readonly aria-label="Link to this run" hidden>
    <button type="button" class="share-trace" title="Download every message, role change and commit of this run as JSON">Export trace</button>
    <button type="button" class="share-svg" title="Download the cluster view as an SVG picture">Export SVG</button>
    <label class="share-import"><span>Import run…</span><input type="file" accept=".json,application/json" hidden></label>`;
  under.appendChild(bar);
  // In the compact layout the toolbar has no room to spare for "open full page": it goes
  // beside "Copy link", the other way to take the run elsewhere.
  if (app.ui.shell.classList.contains("embed") && app.ui.full) bar.append(app.ui.full);
  const linkBox = bar.querySelector(".share-link");

  const share = env.share ? () => Promise.resolve(env.share) : loadShare;
  const link = async () => (await share()).runLink(current(), env.location ?? doc.location.href);
  bar.querySelector(".share-copy").addEventListener("click", async () => {
    const url = await link();
    linkBox.hidden = false;
    linkBox.value = url;
    linkBox.select();
    try {
      await navigator.clipboard.writeText(url);
      say("");
      bar.dataset.copied = "clipboard";
    } catch {
      bar.dataset.copied = "field"; // no clipboard permission: the link is selected in the field
    }
  });
  bar.querySelector(".share-trace").addEventListener("click", async () => {
    const { exportTrace, download } = await share();
    const trace = exportTrace(current());
    download(doc, `raft-run-seed${current().seed}.json`, "application/json", JSON.stringify(trace, null, 1));
  });
  bar.querySelector(".share-svg").addEventListener("click", async () => {
    const { svgOf, download } = await share();
    download(doc, `raft-cluster-${(current().timeMs / 1000).toFixed(3)}s.svg`, "image/svg+xml", svgOf(app.ui.svg));
  });
  bar.querySelector(".share-import input").addEventListener("change", async (e) => {
    const f = e.target.files?.[0];
    e.target.value = "";
    if (!f) return;
    try {
      const { runFromFile } = await share();
      openRun(runFromFile(await f.text()));
      say("");
    } catch (err) {
      say(`Could not import ${f.name}: ${err.message}`);
    }
  });

  const guide = new Guide(app.ui.shell.querySelector(".rp-main"), {
    app,
    current,
    speedFixed: query.has("speed"),
    onUrl: (id, step) => env.onQuery?.(id ? { scenario: id, step: String(step) } : {}),
  });

  // The timeline moves with the other panels, on their frames, whether or not the run
  // advanced a whole ms in that frame.
  app.onPanelFrame?.(() => timeline.update());
  hub.listeners.push((why) => {
    // A new run the guide did not start (Reset, New seed, cluster size...) ends the tour:
    // its steps belong to the old run.
    if (why === "created" && !guide.starting) guide.exit();
    timeline.update(why);
    if (why === "act") guide.noticeAction();
  });

  /** Shows a decoded run at its recorded moment (paused). Throws if it cannot be replayed. */
  function openRun(run) {
    guide.exit();
    app.reset(settingsFor(run.options));
    app.pause();
    current().load(run, run.at);
    app.resync();
    timeline.update();
  }

  function fresh(msg) {
    say(msg);
    guide.exit();
    const { speed, ...defaults } = DEFAULTS; // keep the speed the page was opened with
    app.reset({ ...defaults, faults: [], seed: env.freshSeed() });
    app.play();
    timeline.update();
  }

  // Settings the link asked for that the page cannot use (url.js parseQuery): said here as
  // well as in the console, since whoever follows a link rarely opens the console. The
  // note goes with the run it was about: the next new run (Reset, New seed, a tour) clears it.
  const linkNote = env.problems?.length
    ? `Some of this link's settings could not be used and were left out: ${env.problems.map((p) => p.replace(/^ignored /, "")).join("; ")}.`
    : "";
  if (linkNote) {
    say(linkNote);
    hub.listeners.push((why) => {
      if (why === "created" && notice.textContent === linkNote) say("");
    });
  }

  if (query.has("run")) {
    const open = ({ decodeRun }) => {
      try {
        openRun(decodeRun(query.get("run")));
      } catch (e) {
        fresh(`This link's run could not be opened (${e.message ?? e}). Showing a fresh cluster instead.`);
      }
    };
    if (env.share) open(env.share);
    else share().then(open, (e) => say(`This link's run could not be opened (${e.message ?? e}).`));
  } else if (query.has("scenario")) {
    const step = Number(query.get("step") ?? 1);
    const id = query.get("scenario");
    const found = guide.pick(id, Number.isInteger(step) && step >= 1 ? step : 1);
    found.then(
      (ok) => ok || fresh(`There is no guided tour called "${id}". Showing a fresh cluster instead; pick a tour above.`),
      (e) => say(`The tour could not be loaded (${e.message ?? e}).`),
    );
  }

  return {
    timeline,
    guide,
    say,
    /** Resolves to a link that reopens the current run at this moment. */
    link,
    openRun,
    /** Resolves to the current run's trace (share.js exportTrace). */
    exportTrace: async () => (await share()).exportTrace(current()),
    get recorded() {
      return current();
    },
  };
}
