#!/usr/bin/env node
// The page's performance, measured in headless Debian Chromium at 1280x800 against the
// built page (index.html + www/ + www/pkg) served from 127.0.0.1:
//
//   1. size: every response the page loads, each gzipped (-9) as a server would send it;
//   2. first draw: ms from navigation start until the cluster is painted (the Element Timing
//      API's render time of a node's label; for labels that came with the HTML, in the DOM
//      before the first frame, the first contentful paint when Element Timing is silent),
//      until its nodes are in the DOM, and first contentful paint (median of 5 cold loads,
//      or of --loads N); and, between those loads, the first contentful paint of
//      bench/floor.html, a line of plain text: what any page takes here (the floor);
//   3. frame cost with 9 nodes under steady client load (a request every 250 ms of wall
//      time, via window.playground): a Chrome trace gives main-thread time per frame (all
//      top-level tasks between two frame starts), mean and p95; Performance.getMetrics gives
//      TaskDuration / ScriptDuration / LayoutDuration deltas per frame; then the same with
//      the page scrolled to the log panel (below the fold at 1280x800);
//   4. idle: animation frames and main-thread time per second while paused, while the tab is
//      hidden (visibilitychange), and for an ?embed=1 iframe scrolled out of view: all three
//      should be zero frames (and the same embed in view, which should not).
//
//   node bench/page-perf.mjs [--seconds 5] [--page dist/raft-playground.html] [--json]
//                            [--only frames|draw] [--logs] [--breakdown] [--loads 5] [--save-trace FILE]
//                            [--phone]
//
// `--only frames` runs section 3 alone, `--only draw` section 2; `--breakdown` also prints where the main thread's
// time goes per frame: self time (time not spent in a nested event) per trace event name.

import { chromium } from "@playwright/test";
import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { serve } from "../scripts/serve.mjs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 5;
const asJson = args.includes("--json");
// --dist: the production build, dist/index.html (npm run build). The size counts what the page
// loads until the network is idle after the first draw: lazy chunks fetched by then (the
// teaching layer) count, those never asked for (the space-time diagram) do not. The "first
// view" is what had arrived when the nodes appeared.
if (args.includes("--dist") && !args.includes("--page")) args.push("--page", "dist/index.html");
// Which page to measure, relative to the repository root (e.g. dist/raft-playground.html).
const pagePath = args.includes("--page") ? args[args.indexOf("--page") + 1] : "";
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : "";
const breakdown = args.includes("--breakdown");
// --logs: with --only frames, also measure with the log panel scrolled into view.
const logsToo = args.includes("--logs");
// Cold loads for the first draw's medians: 11 gives a steadier one on a busy machine.
const loads = args.includes("--loads") ? Number(args[args.indexOf("--loads") + 1]) : 5;
// --save-trace FILE: write the first frames trace (9 nodes under load) to FILE, for a closer
// look (chrome://tracing, Perfetto).
const saveTrace = args.includes("--save-trace") ? args[args.indexOf("--save-trace") + 1] : "";

// --phone: a 390x844 phone at 3 device pixels per CSS pixel, with touch (the cluster's tall
// view; the canvas and the tiles hold 9 times the pixels of the same CSS box at 1x).
const phone = args.includes("--phone");
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

const root = fileURLToPath(new URL("..", import.meta.url));
const { server, url: base } = await serve({ dir: root, port: 0, quiet: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Each new window of this Chromium (156) loads its omnibox popup UI, some 400 chrome://
    // files, while the page loads, on the same cores: the browser's own UI, not the page.
    "--disable-features=OmniboxEverywhereComposebox",
  ],
});

// Counts animation-frame callbacks and notes when the first node appears in the DOM.
const INSTRUMENT = () => {
  window.__rafCount = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    raf((t) => {
      window.__rafCount++;
      cb(t);
    });
  window.__firstNodeMs = null;
  window.__firstFrameMs = null; // when the page's first frame started
  raf(() => (window.__firstFrameMs = performance.now()));
  // When the cluster is first painted: the Element Timing API reports when a node's label
  // (SVG <text>) was first presented on screen. The attribute is set by this observer in the
  // same task that inserted the nodes, before that frame is painted.
  window.__clusterPaintMs = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === "rp-bench-node" && window.__clusterPaintMs === null) window.__clusterPaintMs = e.renderTime || e.loadTime;
    }
  }).observe({ type: "element", buffered: true });
  // (The HTML parser may hand over a node's <g> before its labels: wait for the labels.)
  new MutationObserver((_, obs) => {
    if (window.__firstNodeMs === null && document.querySelector("[data-node-id]")) window.__firstNodeMs = performance.now();
    const labels = document.querySelectorAll("[data-node-id] text");
    if (labels.length) {
      // Labels that came with the HTML (the built page's view at time 0), in the DOM before
      // the page's first frame, are painted with its first contentful paint: the fallback
      // when no Element Timing entry comes.
      window.__nodesInHtml = !performance.getEntriesByName("rp:module").length && window.__firstFrameMs === null;
      // Otherwise the labels are painted by the next frame, which begins now at the earliest:
      // the lower bound of their paint when no Element Timing entry comes.
      window.__frameAfterLabelsMs = null;
      if (window.__firstFrameMs !== null) raf(() => (window.__frameAfterLabelsMs = performance.now()));
      for (const t of labels) t.setAttribute("elementtiming", "rp-bench-node");
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

const results = {};

/**
 * Self time (ms per frame) per trace event name on one thread: each complete event's
 * duration minus that of the events nested in it, within the traced frames.
 */
function selfTimes(events, frameStarts, nFrames) {
  const from = frameStarts[0];
  const to = frameStarts[frameStarts.length - 1];
  const xs = events
    .filter((e) => e.ph === "X" && e.dur > 0 && e.ts >= from && e.ts < to)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of xs) {
    while (stack.length && e.ts >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, self.get(parent.name) - Math.min(e.dur, parent.end - e.ts));
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push({ name: e.name, end: e.ts + e.dur });
  }
  return Object.fromEntries(
    [...self]
      .map(([k, v]) => [k, +(v / 1000 / nFrames).toFixed(3)])
      .filter(([, v]) => v >= 0.005)
      .sort((a, b) => b[1] - a[1]),
  );
}
const median = (xs) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function newPage() {
  const context = await browser.newContext(phone ? PHONE : { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(INSTRUMENT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors };
}

// 1. Size.
if (!only) {
  const { context, page } = await newPage();
  const bodies = [];
  page.on("response", async (r) => {
    if (r.url().startsWith(base) && r.status() === 200) {
      bodies.push(
        r.body().then((b) => ({ url: r.url().slice(base.length) || "/", raw: b.length, gz: gzipSync(b, { level: 9 }).length })),
      );
    }
  });
  await page.goto(`${base}${pagePath}?seed=1`);
  await page.waitForSelector("[data-node-id]");
  await page.waitForLoadState("networkidle");
  // Files that had arrived when the first node was in the DOM (the page itself included).
  const early = new Set(
    await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((r) => r.responseEnd <= window.__firstNodeMs)
        .map((r) => r.name)
        .concat(location.href),
    ),
  );
  const files = await Promise.all(bodies);
  files.sort((a, b) => b.gz - a.gz);
  const sum = (fs) => fs.reduce((s, f) => s + f.gz, 0);
  const notWasm = (f) => !f.url.endsWith(".wasm"); // HTML, JS, CSS (dist/ inlines its CSS)
  const first = files.filter((f) => early.has(base + f.url));
  results.size = {
    files: files.length,
    rawBytes: files.reduce((s, f) => s + f.raw, 0),
    gzipBytes: sum(files),
    wasmGzipBytes: sum(files.filter((f) => f.url.endsWith(".wasm"))),
    htmlJsCssGzipBytes: sum(files.filter(notWasm)),
    firstViewFiles: first.length,
    firstViewGzipBytes: sum(first),
    firstViewHtmlJsCssGzipBytes: sum(first.filter(notWasm)),
    largest: files.slice(0, 5),
  };
  await context.close();
}

// First contentful paint of a cold load of bench/floor.html (null if none came in 20 s).
async function floorPaint() {
  const { context, page } = await newPage();
  await page.goto(`${base}bench/floor.html`, { waitUntil: "commit" });
  await sleep(500);
  let t = null;
  for (let k = 0; k < 200 && t === null; k++) {
    t = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
    if (t === null) await sleep(100);
  }
  await context.close();
  return t;
}

// 2. First draw.
if (!only || only === "draw") {
  const firstNode = [];
  const fcp = [];
  const painted = [];
  const atLeast = []; // loads not measured: the earliest their cluster can have been painted
  let fromFcp = 0; // loads whose cluster came with the HTML and had no Element Timing entry
  const floor = []; // first contentful paint of bench/floor.html, a line of plain text
  for (let i = 0; i < loads; i++) {
    // The floor: a cold load of a one-line page, alternately before and after the
    // playground's, so that both see the machine as it is at that moment.
    if (i % 2) floor.push(await floorPaint());
    const { context, page } = await newPage();
    // Nothing of Playwright's runs in the page while it loads: waiting for the "load" event
    // and then page.waitForFunction() would inject Playwright's in-page script (some 20 ms of
    // main-thread work) right into the first frame's way, delaying its paint. So: only wait
    // for the navigation to commit, leave the page alone for a second, then read the figures.
    await page.goto(`${base}${pagePath}?seed=1`, { waitUntil: "commit" });
    await sleep(1000);
    const read = () =>
      page.evaluate(() => ({
        node: window.__firstNodeMs,
        painted: window.__clusterPaintMs,
        inHtml: window.__nodesInHtml === true,
        frameAfter: window.__frameAfterLabelsMs ?? null,
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
      }));
    let t = await read();
    // An Element Timing entry comes within a frame or two of the paint: wait for it until
    // some 3 s after the navigation (a load it never comes for is bounded below), not 20 s.
    for (let k = 0; k < 200 && (t.node === null || t.fcp === null || (t.painted === null && !t.inHtml && k < 20)); k++) {
      await sleep(100);
      t = await read();
    }
    if (t.node === null) throw new Error("first draw: no node in the DOM after 20 s");
    firstNode.push(t.node);
    if (t.fcp !== null) fcp.push(t.fcp);
    // Element Timing does not always report labels that the page replaces soon after (the
    // module builds the live view in place of the HTML's): those were on screen with the
    // first contentful paint, and where both are reported the two are the same frame.
    if (t.painted !== null) painted.push(t.painted);
    else if (t.inHtml && t.fcp !== null) {
      painted.push(t.fcp);
      fromFcp++;
    } else atLeast.push(Math.max(t.fcp ?? 0, t.frameAfter ?? 0));
    await context.close();
    if (!(i % 2)) floor.push(await floorPaint());
  }
  results.firstDraw = {
    nodesInDomMsMedian: +median(firstNode).toFixed(1),
    firstContentfulPaintMsMedian: fcp.length ? +median(fcp).toFixed(1) : null,
    clusterPaintedMsMedian: painted.length ? +median(painted).toFixed(1) : null,
    runs: firstNode.map((x) => +x.toFixed(1)),
    paintedRuns: painted.map((x) => +x.toFixed(1)),
    paintedFromFcp: fromFcp,
    // Loads with neither: the page's first frame began before the parser had reached the
    // nodes, and no Element Timing entry came. When the cluster was painted is not known.
    unmeasured: loads - painted.length,
    // The median over every load, the unmeasured ones taken at their lower bound (the later
    // of the first contentful paint and the start of the frame after the labels came), and
    // taken as slower than every other: the median of all loads lies between the two.
    unmeasuredAtLeastRuns: atLeast.map((x) => +x.toFixed(1)),
    allLoadsMsMedianBounds: atLeast.length
      ? [+median(painted.concat(atLeast)).toFixed(1), median(painted.concat(atLeast.map(() => Infinity)))].map((x) =>
          Number.isFinite(x) ? +x.toFixed(1) : null,
        )
      : null,
    floorFcpMsMedian: floor.some((x) => x !== null) ? +median(floor.filter((x) => x !== null)).toFixed(1) : null,
    floorRuns: floor.map((x) => (x === null ? null : +x.toFixed(1))),
  };
}

// 3. Frame cost, 9 nodes, steady client load; 4. idle.
if (only !== "draw") {
  const { context, page, errors } = await newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${base}${pagePath}?seed=1&nodes=9`);
  await page.waitForFunction(() => window.playground && window.playground.state().leader !== null, null, {
    timeout: 60_000,
    polling: 100,
  }).catch(() => {});
  // Steady client load: one request every 250 ms of wall time, to whoever leads.
  await page.evaluate(() => {
    window.__load = setInterval(() => {
      try {
        window.playground.propose(`w${Date.now() % 100000}`);
      } catch {}
    }, 250);
  });
  await sleep(2000); // warm up
  const metrics = async () =>
    Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  let traceSaved = false;
  results.frames9 = await measureFrames();
  // The same with the page scrolled down to the log panel, which at 1280x800 starts below
  // the fold: what a reader watching the logs (and the cluster's lower half) costs.
  if (!only || logsToo) {
    await page.evaluate(() => document.querySelector(".rp-logs").scrollIntoView({ block: "end" }));
    await sleep(1000);
    results.frames9LogsInView = await measureFrames();
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  async function measureFrames() {
    // rAF callbacks and metrics are read together, so the rates cover the same wall time.
    const rafNow = () => page.evaluate(() => ({ n: window.__rafCount, t: performance.now() }));
    const rafBefore = await rafNow();
    const m0 = await metrics();
    await browser.startTracing(page, {
      categories: [
        "toplevel",
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "disabled-by-default-devtools.timeline.frame",
      ],
    });
    await sleep(seconds * 1000);
    const raw = (await browser.stopTracing()).toString("utf8");
    if (saveTrace && !traceSaved) {
      traceSaved = true;
      await writeFile(saveTrace, raw);
    }
    const trace = JSON.parse(raw);
    const m1 = await metrics();
    const rafAfter = await rafNow();
    const frames = rafAfter.n - rafBefore.n;
    const rafSeconds = (rafAfter.t - rafBefore.t) / 1000;

    const events = trace.traceEvents ?? trace;
    // The renderer main thread that fired the animation frames.
    const fired = new Map();
    for (const e of events) {
      if (e.name === "FireAnimationFrame") {
        const k = `${e.pid}:${e.tid}`;
        fired.set(k, (fired.get(k) ?? 0) + 1);
      }
    }
    const mainKey = [...fired].sort((a, b) => b[1] - a[1])[0]?.[0];
    const onMain = (e) => `${e.pid}:${e.tid}` === mainKey;
    const mainPid = mainKey?.split(":")[0];
    const workerThreads = new Set(
      events
        .filter((e) => e.name === "thread_name" && String(e.pid) === mainPid && /DedicatedWorker/.test(e.args?.name ?? ""))
        .map((e) => `${e.pid}:${e.tid}`),
    );
    let workerBusy = 0; // µs of top-level tasks on the page's worker threads while traced
    for (const e of events) {
      if (e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && workerThreads.has(`${e.pid}:${e.tid}`)) workerBusy += e.dur ?? 0;
    }
    const tasks = events
      .filter((e) => onMain(e) && e.ph === "X" && (e.name === "ThreadControllerImpl::RunTask" || e.name === "RunTask"))
      .map((e) => ({ ts: e.ts, dur: e.dur ?? 0, tdur: e.tdur ?? null }))
      .sort((a, b) => a.ts - b.ts);
    // Drop nested top-level tasks (a task inside another task's span).
    const top = [];
    for (const t of tasks) {
      const last = top[top.length - 1];
      if (last && t.ts < last.ts + last.dur) continue;
      top.push(t);
    }
    const frameStarts = events
      .filter((e) => onMain(e) && (e.name === "BeginMainThreadFrame" || e.name === "FireAnimationFrame"))
      .map((e) => e.ts)
      .sort((a, b) => a - b)
      .filter((ts, i, all) => i === 0 || ts - all[i - 1] > 2000); // one start per frame
    // Per frame: wall time of the main thread's top-level tasks, and their thread CPU time
    // (`tdur`), which other processes competing for the cores do not inflate.
    const perFrame = [];
    const perFrameCpu = [];
    let ti = 0;
    for (let i = 0; i + 1 < frameStarts.length; i++) {
      let busy = 0;
      let cpu = 0;
      while (ti < top.length && top[ti].ts < frameStarts[i]) ti++;
      let j = ti;
      while (j < top.length && top[j].ts < frameStarts[i + 1]) {
        busy += top[j].dur;
        cpu += top[j].tdur ?? top[j].dur;
        j++;
      }
      perFrame.push(busy / 1000);
      perFrameCpu.push(cpu / 1000);
    }
    const delta = (k) => (m1[k] - m0[k]) * 1000; // seconds -> ms
    // The metrics cover the time from before tracing started to after it stopped (longer than
    // the trace): per frame is per animation-frame callback over that same time.
    const nFrames = Math.max(1, perFrame.length);
    const nRaf = Math.max(1, frames);
    const out = {
      wallSeconds: seconds,
      rafCallbacksPerSecond: +(frames / rafSeconds).toFixed(1),
      fps: +(perFrame.length / seconds).toFixed(1),
      traceFrames: perFrame.length,
      mainThreadMsPerFrameMean: +(perFrame.reduce((a, b) => a + b, 0) / Math.max(1, perFrame.length)).toFixed(2),
      mainThreadMsPerFrameP95: +percentile(perFrame, 95).toFixed(2),
      mainThreadMsPerFrameP99: +percentile(perFrame, 99).toFixed(2),
      mainThreadMsPerFrameMax: +Math.max(...perFrame).toFixed(2),
      mainThreadCpuMsPerFrameMean: +(perFrameCpu.reduce((a, b) => a + b, 0) / Math.max(1, perFrameCpu.length)).toFixed(2),
      mainThreadCpuMsPerFrameP95: +percentile(perFrameCpu, 95).toFixed(2),
      mainThreadCpuMsPerFrameP99: +percentile(perFrameCpu, 99).toFixed(2),
      metricsPerFrame: {
        taskMs: +(delta("TaskDuration") / nRaf).toFixed(2),
        scriptMs: +(delta("ScriptDuration") / nRaf).toFixed(2),
        layoutMs: +(delta("LayoutDuration") / nRaf).toFixed(2),
        recalcStyleMs: +(delta("RecalcStyleDuration") / nRaf).toFixed(2),
      },
      committed: await page.evaluate(() => Math.max(...window.playground.state().nodes.map((n) => n.commitIndex))),
      messagesInFlight: await page.evaluate(() => window.playground.state({ logLimit: 0 }).messages.length),
      // The cluster canvas is painted in a worker (render/painter.js): its thread's busy time,
      // off the main thread and so not in the figures above.
      workerMsPerFrame: +(workerBusy / 1000 / Math.max(1, perFrame.length)).toFixed(2),
    };
    if (breakdown) out.selfMsPerFrame = selfTimes(events.filter(onMain), frameStarts, nFrames);
    return out;
  }
  await page.evaluate(() => clearInterval(window.__load));


  // Idle: paused.
  if (!only) await measureIdle();
  async function measureIdle() {
  const idle = async () => {
    await sleep(500); // let a last redraw or glide finish
    const r0 = await page.evaluate(() => window.__rafCount);
    const a = await metrics();
    await sleep(3000);
    const b = await metrics();
    const r1 = await page.evaluate(() => window.__rafCount);
    return {
      framesPerSecond: +((r1 - r0) / 3).toFixed(2),
      mainThreadMsPerSecond: +(((b.TaskDuration - a.TaskDuration) * 1000) / 3).toFixed(2),
    };
  };
  await page.click('[data-ref="play"]');
  const playing = await page.evaluate(() => window.__rafCount);
  results.paused = await idle();
  results.paused.playButtonText = await page.textContent('[data-ref="play"]');
  // Hidden: play again, then the tab goes hidden.
  await page.click('[data-ref="play"]');
  await sleep(500);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  results.hidden = await idle();
  void playing;
  }
  results.consoleErrors = errors;
  await context.close();
}

// 4b. Idle: an embed (?embed=1 in an iframe) scrolled out of view, then into view.
if (!only) {
  const { context, page } = await newPage();
  await page.setContent(
    `<div style="height:3000px">scroll down</div>` +
      `<iframe src="${base}index.html?embed=1&seed=1&speed=1" width="900" height="560"></iframe>`,
  );
  const frame = () => page.frames().find((f) => f.url().includes("embed=1"));
  await page.waitForFunction(() => document.querySelector("iframe")?.contentWindow, null, { timeout: 30_000 });
  for (let i = 0; i < 100 && !frame(); i++) await sleep(100);
  await frame().waitForFunction(() => window.playground, null, { timeout: 30_000, polling: 100 });
  const count = () => frame().evaluate(() => window.__rafCount);
  await sleep(500);
  const a = await count();
  await sleep(3000);
  const outOfView = ((await count()) - a) / 3;
  await page.evaluate(() => document.querySelector("iframe").scrollIntoView());
  await sleep(500);
  const b = await count();
  await sleep(2000);
  const inView = ((await count()) - b) / 2;
  results.scrolledAway = { framesPerSecondOutOfView: +outOfView.toFixed(2), framesPerSecondInView: +inView.toFixed(2) };
  await context.close();
}

await browser.close();
server.close();

if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const r = results;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  if (!only) console.log(`page size: ${kb(r.size.gzipBytes)} gzipped (${kb(r.size.rawBytes)} raw, ${r.size.files} files; wasm ${kb(r.size.wasmGzipBytes)} gzipped)`);
  for (const f of r.size?.largest ?? []) console.log(`  ${f.url}: ${kb(f.gz)} gzipped`);
  if (r.firstDraw) {
    const d = r.firstDraw;
    console.log(`first draw: cluster painted after ${d.clusterPaintedMsMedian} ms (median of ${d.paintedRuns.length}: ${d.paintedRuns.join(", ")}${d.paintedFromFcp ? `; ${d.paintedFromFcp} of them the first contentful paint, the cluster being in the HTML` : ""}${d.unmeasured ? `; ${d.unmeasured} load(s) not measured: a frame began before the cluster was in the DOM, and Element Timing gave nothing` : ""})`);
    if (d.allLoadsMsMedianBounds) {
      const [lo, hi] = d.allLoadsMsMedianBounds;
      console.log(`  unmeasured loads painted at ${d.unmeasuredAtLeastRuns.map((x) => `${x} ms or later`).join(", ")}; so the median of all ${d.runs.length} loads is ${hi === null ? `${lo} ms or more` : lo === hi ? `${lo} ms` : `${lo}-${hi} ms`}`);
    }
    console.log(`  nodes in the DOM after ${d.nodesInDomMsMedian} ms (${d.runs.join(", ")}), first contentful paint ${d.firstContentfulPaintMsMedian} ms`);
    console.log(`  floor: a one-line page's first contentful paint, cold loads in between, ${d.floorFcpMsMedian} ms (${d.floorRuns.join(", ")})`);
  }
  for (const [title, f] of [["9 nodes, client load", r.frames9], ["  the same, scrolled to the log panel", r.frames9LogsInView]]) {
    if (!f) continue;
    console.log(`${title}: ${f.fps} frames/s (${f.rafCallbacksPerSecond} rAF callbacks/s); main thread per frame: mean ${f.mainThreadMsPerFrameMean} ms, p95 ${f.mainThreadMsPerFrameP95} ms, p99 ${f.mainThreadMsPerFrameP99} ms, max ${f.mainThreadMsPerFrameMax} ms (${f.traceFrames} traced frames)`);
    console.log(`  main-thread CPU time per frame: mean ${f.mainThreadCpuMsPerFrameMean} ms, p95 ${f.mainThreadCpuMsPerFrameP95} ms, p99 ${f.mainThreadCpuMsPerFrameP99} ms`);
    console.log(`  the canvas painter's worker thread per frame: ${f.workerMsPerFrame} ms (not main-thread time)`);
    console.log(`  Performance.getMetrics per frame: task ${f.metricsPerFrame.taskMs} ms, script ${f.metricsPerFrame.scriptMs} ms, layout ${f.metricsPerFrame.layoutMs} ms, style ${f.metricsPerFrame.recalcStyleMs} ms`);
    if (f.selfMsPerFrame) {
      console.log(`  ${f.messagesInFlight} messages in flight at the end; main-thread self time per frame by trace event:`);
      for (const [k, v] of Object.entries(f.selfMsPerFrame)) console.log(`    ${k}: ${v} ms`);
    }
  }
  if (only) {
    if (r.consoleErrors?.length) console.log(`console errors: ${r.consoleErrors.join(" | ")}`);
    process.exit(0);
  }
  console.log(`paused: ${r.paused.framesPerSecond} animation frames/s, ${r.paused.mainThreadMsPerSecond} ms main-thread time per s`);
  console.log(`hidden: ${r.hidden.framesPerSecond} animation frames/s, ${r.hidden.mainThreadMsPerSecond} ms main-thread time per s`);
  console.log(`embed scrolled out of view: ${r.scrolledAway.framesPerSecondOutOfView} animation frames/s (in view: ${r.scrolledAway.framesPerSecondInView})`);
  const z = r.size;
  console.log(`page size apart from the wasm: ${kb(z.htmlJsCssGzipBytes)} gzipped; first view (arrived before the first draw): ${kb(z.firstViewGzipBytes)} gzipped in ${z.firstViewFiles} files, ${kb(z.firstViewHtmlJsCssGzipBytes)} of it HTML, JS and CSS`);
  if (r.consoleErrors.length) console.log(`console errors: ${r.consoleErrors.join(" | ")}`);
}
