// The built site (npm run build -> dist/): the bundled page served over HTTP as it is, end to
// end (leader, a committed request, the teaching shell with the first frame and no layout
// shift after it, a tour whose chunk loads when it is picked, the space-time chunk when the
// diagram is shown,
// no console errors, nothing missing); <raft-playground> from dist/www/element.js; and the
// single self-contained file opened straight from disk (file://), where no module or wasm
// can be fetched from a server.
import { test, expect } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const single = `${dist}raft-playground.html`;
const built = existsSync(`${dist}index.html`);

/** Collects console errors, uncaught exceptions and failed or missing responses of a page. */
function watch(page) {
  const errors = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  return { errors, requests };
}

async function expectLeader(page) {
  await page.waitForFunction(() => window.playground && window.playground.state().leader !== null, null, {
    timeout: 20_000,
  });
  await expect(page.locator('[data-node-id][data-role="leader"]')).toHaveCount(1);
}

/** Scripts the built page loads, by kind: dist/www/NAME-HASH.js -> NAME. */
const scripts = (requests) =>
  requests.filter((p) => p.startsWith("/dist/") && p.endsWith(".js")).map((p) => p.split("/").pop().replace(/-[A-Z0-9]{8}\.js$/, ""));

test("dist/index.html: the first frame loads one module and the teaching shell, nothing more", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const { errors, requests } = watch(page);
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => window.__shifts.push(...l.getEntries().map((e) => e.value))).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto("/dist/index.html?seed=5&speed=1");
  await expect(page.locator("[data-node-id]").first()).toBeAttached();
  // The teaching shell is drawn with the cluster: the tour picker is there at the first frame.
  await expect(page.locator(".rp-guide .guide-select")).toBeAttached();
  expect(scripts(requests).sort()).toEqual(["main", "teach"]);
  expect(requests.filter((p) => p.endsWith(".css"))).toEqual([]); // inlined
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await page.waitForTimeout(300);
  expect(scripts(requests).sort()).toEqual(["main", "teach"]);
  expect(requests.filter((p) => p.endsWith(".wasm"))).toEqual(["/dist/www/pkg/raft_playground_bg.wasm"]);
  await expect(page.locator(".rp-timeline")).toBeVisible();
  // Nothing appeared above the cluster after it was drawn.
  const moved = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
  expect(moved).toBeLessThan(0.05);
  expect(errors).toEqual([]);
});

test("dist/index.html carries the cluster at time 0, and the live view takes its place without moving it", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const mainModule = /\/dist\/www\/main-[A-Z0-9]+\.js$/;
  // Where the first screen's parts are: the nodes (their transforms) and the boxes of the
  // parts a reader sees first. (The module replaces the whole view, so the browser's
  // layout-shift entries, which are for elements that moved, would not report a jump.)
  const where = () =>
    page.evaluate(() => {
      const box = (sel) => {
        const r = document.querySelector(sel)?.getBoundingClientRect();
        return r ? [sel, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)].join(" ") : `${sel} missing`;
      };
      const nodes = [...document.querySelectorAll("[data-node-id]")].map((g) => `${g.dataset.nodeId} ${g.getAttribute("transform")}`).sort();
      return [...nodes, ...[".rp-toolbar", ".rp-guide", ".rp-cluster", ".rp-under", ".rp-legend", ".rp-events"].map(box)];
    });
  // A laptop, a phone (the tall view), and a short window that draws the wide view small
  // (larger nodes).
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }, { width: 900, height: 560 }]) {
    await page.setViewportSize(viewport);
    // Without its module the page still shows the cluster as it is at time 0.
    await page.route(mainModule, (r) => r.abort());
    await page.goto("/dist/index.html?seed=5");
    const still = page.locator("#app > .rp-pre");
    await expect(still).toBeVisible();
    await expect(still.locator('[data-node-id][data-role="follower"][data-term="0"]')).toHaveCount(5);
    await expect(still.locator(".node-term").first()).toHaveText("term 0");
    const before = await where();
    await page.unroute(mainModule);
    // With it, the module builds the live view in its place: the same nodes and parts, in
    // the same places.
    const { errors } = watch(page);
    await page.goto("/dist/index.html?seed=5");
    await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
    await expect(page.locator("#app > .rp")).toHaveCount(1);
    await expect(page.locator(".rp-pre")).toHaveCount(0);
    expect(await where()).toEqual(before);
    await expect.poll(() => page.evaluate(() => window.playground.state().timeMs)).toBeGreaterThan(0); // and it runs
    expect(errors).toEqual([]);
  }
  // Opened with settings that change the picture (here the cluster size), it is hidden, and
  // gives way to the view they ask for.
  await page.route(mainModule, (r) => r.abort());
  await page.goto("/dist/index.html?seed=5&nodes=7");
  await expect(page.locator("html.rp-fresh")).toHaveCount(1);
  await expect(page.locator("#app > .rp-pre")).toBeHidden();
  await page.unroute(mainModule);
  await page.goto("/dist/index.html?seed=5&nodes=7");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await expect(page.locator("[data-node-id]")).toHaveCount(7);
  await expect(page.locator(".rp-pre")).toHaveCount(0);
});

test("the first screen's text comes in five font sizes and weights", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  // Each size and weight a frame uses is a font the renderer looks up (on Linux, over IPC to
  // the browser process) and a set of glyphs it rasterises, all before the first paint.
  const faces = () =>
    page.evaluate(() => {
      const seen = new Map();
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n; (n = walk.nextNode()); ) {
        const el = n.parentElement;
        if (!n.data.trim() || !el.getClientRects().length || el.getBoundingClientRect().top > innerHeight) continue;
        const s = getComputedStyle(el);
        const face = `${s.fontSize} ${s.fontWeight} ${s.fontStyle} ${s.fontFamily}`;
        seen.set(face, [...(seen.get(face) ?? []), n.data.trim().slice(0, 20)]);
      }
      return Object.fromEntries(seen);
    });
  const mainModule = /\/dist\/www\/main-[A-Z0-9]+\.js$/;
  await page.route(mainModule, (r) => r.abort());
  await page.goto("/dist/index.html?seed=5");
  await expect(page.locator("#app > .rp-pre")).toBeVisible();
  const still = await faces();
  expect(Object.keys(still).length, JSON.stringify(still, null, 1)).toBeLessThanOrEqual(5);
  await page.unroute(mainModule);
  await page.goto("/dist/index.html?seed=5");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  const live = await faces();
  expect(Object.keys(live).length, JSON.stringify(live, null, 1)).toBeLessThanOrEqual(5);
});

test("dist/index.html end to end: leader, committed request, tour, space-time", async ({ page }, info) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const { errors, requests } = watch(page);
  await page.goto("/dist/index.html?seed=5&speed=1");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await expectLeader(page);

  // A client request reaches every node's log and turns committed there (the log panel,
  // drawn only in view, scrolled into it).
  await page.click('[data-ref="request"]');
  await page.locator(".rp-logs").scrollIntoViewIfNeeded();
  for (const id of [1, 2, 3, 4, 5]) {
    await expect(page.locator(`.log-row[data-log-node="${id}"] .cell.committed`).filter({ hasText: "A" })).toHaveCount(1, { timeout: 15_000 });
  }

  // Picking a tour loads the tours' chunk and plays the tour's first step.
  expect(scripts(requests)).not.toContain("tours");
  await page.selectOption(".guide-select", "log-replication");
  await expect.poll(() => scripts(requests)).toContain("tours");
  await expect(page.locator(".rp-guide")).toHaveAttribute("data-scenario", "log-replication");
  await expect(page.locator(".rp-guide")).toHaveAttribute("data-status", "done", { timeout: 20_000 });
  await expect(page.locator(".guide-caption")).not.toHaveText("");

  // The space-time diagram's chunk loads when the diagram is first shown, and brings its
  // stylesheet: the page's own CSS has none of its rules until then.
  const stRules = () => page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r.selectorText === ".st-plot").length);
  expect(scripts(requests)).not.toContain("spacetime-view");
  expect(await stRules()).toBe(0);
  await page.click('[data-ref="spacetimeToggle"]');
  await expect(page.locator(".rp-spacetime")).toBeVisible();
  await expect.poll(() => scripts(requests)).toContain("spacetime-view");
  await expect(page.locator(".rp-spacetime [data-lane], .rp-spacetime svg").first()).toBeVisible();
  expect(await stRules()).toBe(1);
  // Styled: the diagram sits beside the cluster (its stylesheet's grid), not under it.
  const [cluster, diagram] = await Promise.all([".rp-cluster", ".rp-spacetime"].map((s) => page.locator(s).boundingBox()));
  expect(diagram.x).toBeGreaterThan(cluster.x + cluster.width - 1);

  await page.screenshot({ path: info.outputPath("dist-index.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("dist/index.html?scenario= fetches the tour with the first view", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const { errors, requests } = watch(page);
  await page.goto("/dist/index.html?scenario=leader-election&speed=1");
  await expect(page.locator("[data-node-id]").first()).toBeAttached();
  expect(scripts(requests).sort()).toEqual(["main", "teach", "tours"]);
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await expect(page.locator(".rp-guide")).toHaveAttribute("data-scenario", "leader-election");
  await expect(page.locator(".rp-guide")).toHaveAttribute("data-status", "done", { timeout: 20_000 });
  expect(errors).toEqual([]);
});

test("<raft-playground> runs from dist/www/element.js, a tour included", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const { errors, requests } = watch(page);
  await page.goto("/dist/www/embed-demo.html");
  const els = page.locator("raft-playground");
  const n = await els.count();
  expect(n).toBeGreaterThanOrEqual(2);
  await expect(page.locator("raft-playground[data-ready=true]")).toHaveCount(n, { timeout: 20_000 });
  // Its nodes live in the shadow root (Playwright's locators pierce it).
  await expect(els.first().locator("[data-node-id]").first()).toBeAttached();
  // A tour inside an element: its chunk is the page's teaching chunk.
  await page.evaluate(() => {
    const el = document.createElement("raft-playground");
    el.id = "tour";
    el.setAttribute("scenario", "leader-election");
    el.setAttribute("speed", "1");
    document.body.append(el);
  });
  await expect(page.locator("#tour[data-ready=true]")).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator("#tour .rp-guide")).toHaveAttribute("data-scenario", "leader-election");
  expect(scripts(requests)).toContain("teach");
  // The element's stylesheets come from beside it.
  expect(requests).toContain("/dist/www/style.css");
  expect(errors).toEqual([]);
});

/**
 * The log panels' columns in `page`: for each, how many index cells its head and its first row
 * have, and the room left between the last index cell and the panel's right edge.
 */
const logColumns = (page) =>
  page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll("raft-playground")].map((e) => e.shadowRoot)];
    return roots
      .map((r) => r?.querySelector(".logs"))
      .filter(Boolean)
      .map((logs) => {
        const heads = logs.querySelectorAll(".log-head .idx");
        const last = heads[heads.length - 1];
        return {
          cols: heads.length,
          cells: logs.querySelector("[data-log-node]").querySelectorAll(".cell").length,
          room: logs.getBoundingClientRect().right - last.getBoundingClientRect().right,
        };
      });
  });

// The panel guesses its width while it is built (measuring then would force a layout of the
// whole page) and corrects the guess when a ResizeObserver reports the real one.
test("the log panel's columns fill its width: at load, after a resize, inside an element", async ({ page }) => {
  test.skip(!built, "dist/ not built (npm run build)");
  const { errors } = watch(page);
  // LogPanel fits floor((width - label - 8) / pitch) columns: the room left after the last
  // cell is at least the 8 px reserve plus the 2 px gap the label's width includes, and less
  // than one more column on top of that.
  const fits = (p, pitch = 30) => p.cells === p.cols && p.room >= 0 && p.room < pitch + 10;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/dist/index.html?seed=1&speed=0");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  const [wide] = await logColumns(page);
  expect(fits(wide), JSON.stringify(wide)).toBe(true);
  await page.setViewportSize({ width: 760, height: 800 });
  await expect.poll(async () => (await logColumns(page))[0].cols).toBeLessThan(wide.cols);
  const [narrow] = await logColumns(page);
  expect(fits(narrow), JSON.stringify(narrow)).toBe(true);
  await page.goto("/dist/www/embed-demo.html");
  const n = await page.locator("raft-playground").count();
  await expect(page.locator("raft-playground[data-ready=true]")).toHaveCount(n, { timeout: 20_000 });
  const inside = await logColumns(page);
  expect(inside.length).toBe(n);
  for (const p of inside) expect(fits(p, 23), JSON.stringify(p)).toBe(true);
  expect(errors).toEqual([]);
});

test("dist/ holds only built files: minified bundles, no source modules", async () => {
  test.skip(!built, "dist/ not built (npm run build)");
  const www = readdirSync(`${dist}www`);
  for (const gone of ["app.js", "teach.js", "guide.js", "render", "scenarios"]) expect(www).not.toContain(gone);
  const main = www.find((f) => /^main-[A-Z0-9]{8}\.js$/.test(f));
  expect(main).toBeTruthy();
  const code = readFileSync(`${dist}www/${main}`, "utf8");
  // Minified: no comments, local names shortened (afterNextPaint is one in www/main.js).
  expect(code).not.toMatch(/^\s*\/\/ /m);
  expect(code).not.toContain("afterNextPaint");
  expect(code).toContain("data-node-id");
  const html = readFileSync(`${dist}index.html`, "utf8");
  expect(html).toContain(`src="www/${main}"`);
  expect(html).toMatch(/<link rel="preload" href="www\/pkg\/raft_playground_bg\.wasm" as="fetch"[^>]*crossorigin>/);
  expect(html).not.toMatch(/rel="stylesheet"|<!--/);
  const teach = www.find((f) => /^teach-[A-Z0-9]{8}\.js$/.test(f));
  expect([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1])).toEqual([`www/${teach}`]);
});

test("the development index.html preloads exactly the first view's modules", async () => {
  const { firstViewModules } = await import("../../scripts/make-dist.mjs");
  const wanted = await firstViewModules();
  expect(wanted).toContain("www/main.js");
  expect(wanted).toContain("www/teach.js");
  expect(wanted).not.toContain("www/render/spacetime-view.js");
  const html = readFileSync(fileURLToPath(new URL("../../index.html", import.meta.url)), "utf8");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]).sort();
  expect(preloaded).toEqual(wanted);
});

test("dist/raft-playground.html opens from file:// with everything inlined", async ({ page }, info) => {
  test.skip(!existsSync(single), "dist/raft-playground.html not built (npm run build)");
  const errors = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("pageerror", (err) => errors.push(String(err)));
  const requests = [];
  page.on("request", (r) => {
    // data: and blob: URLs are made in the page (blob: for the canvas painter's worker).
    if (!/^(data|blob):/.test(r.url())) requests.push(r.url());
  });
  await page.goto(pathToFileURL(single).href + "?seed=5&speed=1");
  await expectLeader(page);
  const nodes = await page.locator("[data-node-id]").count();
  expect(nodes).toBeGreaterThanOrEqual(3);
  // The tours are inside the file too.
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await page.selectOption(".guide-select", "leader-election");
  await expect(page.locator(".rp-guide")).toHaveAttribute("data-scenario", "leader-election");
  await page.click('[data-ref="spacetimeToggle"]');
  await expect(page.locator(".rp-spacetime")).toBeVisible();
  // Nothing but the file itself was loaded.
  expect(requests.filter((u) => !u.startsWith(pathToFileURL(single).href))).toEqual([]);
  expect(errors).toEqual([]);
  await page.screenshot({ path: info.outputPath("single-file.png") });
});
