// Browser tests of <raft-playground> (www/element.js) and of embedding: several
// elements on one page stay independent, styles do not leak either way, a phone
// viewport renders, attributes take effect, off-screen elements draw no frames,
// and the ?embed=1 page works in an <iframe>. Screenshots go to artifacts/.
import { test, expect } from "@playwright/test";
import fs from "node:fs";

const DEMO = "/www/embed-demo.html";

function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Serves `body` as an HTML page at `path` (a directory the real server does not have). */
async function virtualPage(page, path, body) {
  await page.route(`**${path}`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body }));
  await page.goto(path);
}

/** A page in another directory than www/, so element.js must resolve its own URLs. */
function hostPage(elements, { head = "", before = "", after = "" } = {}) {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">${head}
<script type="module" src="../../www/element.js"></script></head>
<body>${before}${elements}${after}</body></html>`;
}

async function whenReady(page, selector) {
  await expect(page.locator(`${selector}[data-ready=true]`)).toHaveCount(await page.locator(selector).count(), { timeout: 15000 });
}

async function saveArtifact(testInfo, page, name, opts = {}) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, ...opts });
  fs.mkdirSync("artifacts", { recursive: true });
  fs.copyFileSync(path, `artifacts/${name}`);
}

test("the demo post renders three embeds without console errors", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await page.goto(DEMO);
  await whenReady(page, "raft-playground");
  await expect(page.locator("raft-playground")).toHaveCount(2);
  await expect(page.locator("iframe")).toHaveCount(1);
  // Every element draws its own nodes, in its own shadow root.
  const counts = await page.locator("raft-playground").evaluateAll((els) => els.map((e) => e.shadowRoot.querySelectorAll(".node[data-node-id]").length));
  expect(counts).toEqual([5, 3]);
  expect(await page.locator(".node").count()).toBe(8); // locators pierce open shadow roots, not iframes
  const frame = page.frameLocator("iframe");
  await page.locator("iframe").scrollIntoViewIfNeeded();
  await expect(frame.locator(".node[data-node-id]")).toHaveCount(5, { timeout: 15000 });
  // The first embed plays a guided tour.
  await expect(page.locator("raft-playground").first().locator(".guide-title")).toContainText("Log replication");
  expect(warnings).toEqual([]);
  // Let each embed run in view for a moment, then take the whole post.
  for (const el of await page.locator("raft-playground").all()) {
    await el.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveArtifact(testInfo, page, "embed-demo.png", { fullPage: true });
  expect(errors).toEqual([]);
});

test("two elements on one page are independent", async ({ page }) => {
  const errors = watchErrors(page);
  await virtualPage(
    page,
    "/virtual/pages/two.html",
    hostPage(`<raft-playground id="a" nodes="5" seed="1"></raft-playground>
              <raft-playground id="b" nodes="5" seed="2"></raft-playground>`),
  );
  await whenReady(page, "raft-playground");
  // Neither autoplays; drive both by script from time 0.
  const run = (id, ms) => page.evaluate(([id, ms]) => document.getElementById(id).playground.advance(ms), [id, ms]);
  const state = (id) => page.evaluate((id) => document.getElementById(id).playground.state(), id);
  await run("a", 1500);
  await run("b", 1500);
  const a1 = await state("a");
  const b1 = await state("b");
  expect(a1.timeMs).toBe(1500);
  expect(b1.timeMs).toBe(1500);
  expect(JSON.stringify(a1)).not.toBe(JSON.stringify(b1)); // different seeds, different runs

  // Crash a node in A through A's own node menu.
  const a = page.locator("#a");
  await a.locator('.node[data-node-id="1"]').click();
  await a.getByRole("menuitem", { name: "Crash node 1" }).click();
  await expect(a.locator('.node[data-node-id="1"]')).toHaveAttribute("data-up", "false");
  await run("a", 500);
  await run("b", 500);
  const b = page.locator("#b");
  await expect(b.locator('.node[data-up="false"]')).toHaveCount(0);
  await expect(b.locator(".node-menu")).toBeHidden();

  // B's run is exactly what a lone Playground with B's options does: A did not touch it.
  const alone = await page.evaluate(async () => {
    const { Playground } = await import("/www/pkg/raft_playground.js");
    const { playgroundOptions } = await import("/www/url.js");
    const el = document.getElementById("b");
    const pg = new Playground(playgroundOptions(el.app.settings));
    pg.advance(1500);
    pg.advance(500);
    const s = pg.state();
    pg.free();
    return s;
  });
  expect(JSON.stringify(await state("b"))).toBe(JSON.stringify(alone));
  expect((await state("a")).nodes.find((n) => n.id === 1).up).toBe(false);
  expect(errors).toEqual([]);
});

test("styles do not leak into the element or out of it", async ({ page }) => {
  const errors = watchErrors(page);
  const hostile = `<style>
    circle { fill: red !important; stroke: red !important; }
    button { background: red !important; }
    body { color: rgb(255, 0, 0); font-family: serif; letter-spacing: 3px; }
    .rp, .rp-cluster, .logs { display: none !important; }
  </style>`;
  const probe = `<h2 id="ph">Page heading</h2><button id="pb">Page button</button><p id="pp">Page text</p>`;
  // The page's own elements, first without the playground.
  await virtualPage(page, "/virtual/pages/plain.html", `<!doctype html><html><head>${hostile}</head><body>${probe}</body></html>`);
  const pageLook = () =>
    page.evaluate(() => {
      const pick = (id, props) => {
        const cs = getComputedStyle(document.getElementById(id));
        return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
      };
      return {
        h2: pick("ph", ["font-size", "font-family", "margin-bottom", "color"]),
        button: pick("pb", ["padding-left", "border-radius", "font-size", "font-family", "border-top-color"]),
        p: pick("pp", ["font-size", "line-height", "color", "margin-top"]),
        body: pick("ph", ["color"]),
        bodyBg: getComputedStyle(document.body).backgroundColor,
        rootFont: getComputedStyle(document.documentElement).fontSize,
      };
    });
  const before = await pageLook();

  await virtualPage(page, "/virtual/pages/hostile.html", hostPage(`<raft-playground nodes="3" seed="5" autoplay speed="1"></raft-playground>`, { head: hostile, before: probe }));
  await whenReady(page, "raft-playground");
  const el = page.locator("raft-playground");
  await expect(el.locator(".node[data-node-id]")).toHaveCount(3);
  // Inward: page rules do not restyle the element's nodes, buttons or layout.
  const inside = await el.evaluate((host) => {
    const r = host.shadowRoot;
    const body = r.querySelector(".node .body");
    const play = r.querySelector('[data-ref="play"]');
    const label = r.querySelector(".log-label");
    return {
      nodeFill: getComputedStyle(body).fill,
      nodeStroke: getComputedStyle(body).stroke,
      playBg: getComputedStyle(play).backgroundColor,
      shellDisplay: getComputedStyle(r.querySelector(".rp")).display,
      clusterHeight: r.querySelector(".rp-cluster").getBoundingClientRect().height,
      textColor: getComputedStyle(label).color,
      letterSpacing: getComputedStyle(label).letterSpacing,
    };
  });
  expect(inside.nodeFill).not.toBe("rgb(255, 0, 0)");
  expect(inside.nodeStroke).not.toBe("rgb(255, 0, 0)");
  expect(inside.playBg).not.toBe("rgb(255, 0, 0)");
  expect(inside.shellDisplay).toBe("grid");
  expect(inside.clusterHeight).toBeGreaterThan(100);
  expect(inside.textColor).not.toBe("rgb(255, 0, 0)"); // inherited colour is reset at the host
  expect(inside.letterSpacing).toBe("normal");
  // Outward: the page's own elements look exactly as they did without the element.
  expect(await pageLook()).toEqual(before);
  expect(errors).toEqual([]);
});

test("renders on a phone and fits the screen", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const errors = watchErrors(page);
  await page.goto(DEMO);
  await whenReady(page, "raft-playground");
  const first = page.locator("raft-playground").first();
  await first.scrollIntoViewIfNeeded();
  await expect(first.locator(".node[data-node-id]")).toHaveCount(5);
  const box = await first.boundingBox();
  expect(box.width).toBeLessThanOrEqual(390);
  expect(box.width).toBeGreaterThan(300);
  // Nothing inside overflows sideways, and the page does not scroll sideways.
  const overflow = await first.evaluate((host) => {
    const shell = host.shadowRoot.querySelector(".rp");
    return { shell: shell.scrollWidth - shell.clientWidth, toolbar: host.shadowRoot.querySelector(".rp-toolbar").scrollWidth - host.shadowRoot.querySelector(".rp-toolbar").clientWidth };
  });
  expect(overflow.shell).toBeLessThanOrEqual(0);
  expect(overflow.toolbar).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The cluster is drawn big enough to read: nodes on screen inside the element.
  const n1 = await first.locator('.node[data-node-id="1"] .body').boundingBox();
  expect(n1.width).toBeGreaterThan(20);
  expect(n1.x).toBeGreaterThanOrEqual(box.x);
  expect(n1.x + n1.width).toBeLessThanOrEqual(box.x + box.width);
  // Touch-sized controls stay usable: tap Pause.
  await first.getByRole("button", { name: "Pause" }).click();
  await expect(first.getByRole("button", { name: "Play" })).toBeVisible();
  await page.waitForTimeout(300);
  await first.screenshot({ path: testInfo.outputPath("embed-phone.png") });
  fs.mkdirSync("artifacts", { recursive: true });
  fs.copyFileSync(testInfo.outputPath("embed-phone.png"), "artifacts/embed-phone.png");
  const second = page.locator("raft-playground").nth(1);
  await second.scrollIntoViewIfNeeded();
  await second.evaluate((el) => el.playground.advance(600)); // past the first election
  await page.waitForTimeout(1000);
  await second.screenshot({ path: testInfo.outputPath("embed-phone-spacetime.png") });
  fs.copyFileSync(testInfo.outputPath("embed-phone-spacetime.png"), "artifacts/embed-phone-spacetime.png");
  expect(errors).toEqual([]);
});

test("attributes: autoplay, speed, seed, nodes, controls, spacetime", async ({ page }) => {
  const errors = watchErrors(page);
  await virtualPage(page, "/virtual/pages/attrs.html", hostPage(`<raft-playground id="p" nodes="5" seed="7" controls="minimal" autoplay speed="0.05"></raft-playground>`));
  await whenReady(page, "raft-playground");
  const el = page.locator("#p");
  const get = (f) => page.evaluate(f);
  expect(await get(() => document.getElementById("p").app.settings)).toMatchObject({ nodes: 5, seed: 7, speed: 0.05, embed: true });
  expect(await get(() => document.getElementById("p").app.playing)).toBe(true);
  // minimal: the compact toolbar only; no settings, no legend, no title.
  await expect(el.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(el.locator(".rp-settings")).toBeHidden();
  await expect(el.locator(".rp-legend")).toBeHidden();
  await expect(el.locator(".rp-title")).toBeHidden();
  await expect.poll(() => get(() => document.getElementById("p").playground.state().timeMs)).toBeGreaterThan(0);

  await el.evaluate((e) => e.setAttribute("speed", "0.5"));
  expect((await get(() => document.getElementById("p").app.settings)).speed).toBe(0.5);

  await el.evaluate((e) => e.removeAttribute("autoplay"));
  expect(await get(() => document.getElementById("p").app.playing)).toBe(false);
  await expect(el.getByRole("button", { name: "Play" })).toBeVisible();

  await el.evaluate((e) => e.setAttribute("nodes", "3"));
  await expect(el.locator(".node[data-node-id]")).toHaveCount(3);
  await el.evaluate((e) => e.setAttribute("seed", "99"));
  const s = await get(() => document.getElementById("p").app.settings);
  expect(s).toMatchObject({ nodes: 3, seed: 99 });
  expect(await get(() => document.getElementById("p").playground.state().timeMs)).toBe(0);

  await el.evaluate((e) => e.setAttribute("controls", "full"));
  await expect(page.locator("#p[data-ready=true]")).toHaveCount(1);
  await expect(el.locator(".rp-settings")).toBeVisible();
  await expect(el.locator(".node[data-node-id]")).toHaveCount(3); // settings survive a remount
  await el.evaluate((e) => e.setAttribute("controls", "none"));
  await expect(el.locator(".rp-toolbar")).toBeHidden();
  await expect(el.locator(".node[data-node-id]")).toHaveCount(3);

  await expect(el.locator(".rp-spacetime")).toBeHidden();
  await el.evaluate((e) => e.setAttribute("spacetime", ""));
  await expect(el.locator(".rp-spacetime")).toBeVisible();
  await el.evaluate((e) => e.removeAttribute("spacetime"));
  await expect(el.locator(".rp-spacetime")).toBeHidden();

  // A bad attribute value is reported and the default used; the element keeps working.
  const warned = page.waitForEvent("console", (m) => m.type() === "warning" && m.text().includes("nodes"));
  await el.evaluate((e) => e.setAttribute("nodes", "42"));
  await warned;
  await expect(el.locator(".node[data-node-id]")).toHaveCount(5);
  expect(errors).toEqual([]);
});

test("an element out of view draws no frames until scrolled into view", async ({ page }) => {
  const errors = watchErrors(page);
  await virtualPage(
    page,
    "/virtual/pages/scroll.html",
    hostPage(`<raft-playground id="near" seed="3" autoplay speed="1"></raft-playground>
              <div style="height: 4000px"></div>
              <raft-playground id="far" seed="4" autoplay speed="1"></raft-playground>`),
  );
  await whenReady(page, "raft-playground");
  const sample = () =>
    page.evaluate(() => ["near", "far"].map((id) => {
      const el = document.getElementById(id);
      return { frames: el.app.frames, timeMs: el.playground.state().timeMs };
    }));
  await page.waitForTimeout(500);
  const s0 = await sample();
  await page.waitForTimeout(1000);
  const s1 = await sample();
  expect(s1[0].frames - s0[0].frames).toBeGreaterThan(5); // the visible one animates (loosely: CI machines are busy)
  expect(s1[0].timeMs).toBeGreaterThan(s0[0].timeMs);
  expect(s1[1].frames - s0[1].frames).toBe(0); // the hidden one: no animation frames at all
  expect(s1[1].timeMs).toBe(s0[1].timeMs);
  await page.locator("#far").scrollIntoViewIfNeeded();
  await expect.poll(async () => (await sample())[1].timeMs, { timeout: 5000 }).toBeGreaterThan(s1[1].timeMs);
  const s2 = await sample();
  await page.waitForTimeout(1000);
  const s3 = await sample();
  expect(s3[0].frames - s2[0].frames).toBe(0); // now the first one is out of view
  expect(errors).toEqual([]);
});

test("the ?embed=1 page works inside an iframe", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await virtualPage(
    page,
    "/virtual/pages/iframe.html",
    `<!doctype html><html><head><link rel="icon" href="data:,"></head><body style="margin:0">
     <iframe src="/index.html?embed=1&seed=21&speed=1" style="width:640px;height:620px;border:0"></iframe></body></html>`,
  );
  const frame = page.frameLocator("iframe");
  await expect(frame.locator("html.embedded[data-ready=true]")).toHaveCount(1, { timeout: 15000 });
  await expect(frame.locator(".node[data-node-id]")).toHaveCount(5);
  await expect(frame.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await expect(frame.locator(".rp-settings")).toBeHidden();
  await expect(frame.getByRole("button", { name: "Space-time" })).toBeVisible();
  await frame.getByRole("button", { name: "Space-time" }).click();
  await expect(frame.locator(".st-msg").first()).toBeAttached({ timeout: 5000 });
  await page.waitForTimeout(800);
  await saveArtifact(testInfo, page, "embed-iframe.png");
  expect(errors).toEqual([]);
});

test("the README's iframe (a 700 px column, 560 px tall): one toolbar row, every control in view, nodes drawn larger", async ({ page }) => {
  const errors = watchErrors(page);
  await virtualPage(
    page,
    "/virtual/pages/readme-iframe.html",
    `<!doctype html><html><head><link rel="icon" href="data:,"></head><body style="margin:0">
     <div style="width:700px"><iframe src="/index.html?embed=1&seed=7&nodes=5" width="100%" height="560" style="border:0" title="Raft playground"></iframe></div></body></html>`,
  );
  const frame = page.frameLocator("iframe");
  await expect(frame.locator("html.embedded[data-ready=true]")).toHaveCount(1, { timeout: 15000 });
  await expect(frame.locator(".rp-timeline")).toBeVisible();
  const f = page.frames()[1];
  const boxes = await f.evaluate(() => {
    const box = (el) => el.getBoundingClientRect();
    const bar = document.querySelector(".rp-toolbar");
    const items = [...bar.children].filter((e) => e.getClientRects().length).map((e) => box(e));
    return {
      // items below the first one's bottom edge start a second row
      toolbarRows: 1 + items.filter((r) => r.top >= items[0].bottom).length,
      bottoms: ["Copy link", "open full page ↗"].map((t) => {
        const el = [...document.querySelectorAll("button, a")].find((e) => e.textContent.trim() === t);
        return el ? box(el).bottom : null;
      }),
      // the term under a node's id, in CSS pixels
      term: box(document.querySelector(".node .node-term")).height,
      height: innerHeight,
    };
  });
  expect(boxes.toolbarRows).toBe(1);
  for (const b of boxes.bottoms) {
    expect(b).not.toBeNull();
    expect(b).toBeLessThanOrEqual(boxes.height);
  }
  // At the wide view's node size the term's box is 9 px tall here (6.6 px text); half as
  // large again, 13.
  expect(boxes.term).toBeGreaterThanOrEqual(12);
  expect(errors).toEqual([]);
});

test("a scenario attribute plays a guided tour inside the element, leaving the page's URL alone", async ({ page }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await virtualPage(
    page,
    "/virtual/pages/tour.html",
    hostPage(`<raft-playground id="t" scenario="log-replication" speed="1" autoplay></raft-playground>
              <raft-playground id="u" scenario="no-such-tour" seed="5"></raft-playground>`),
  );
  await whenReady(page, "raft-playground");
  const t = page.locator("#t");
  await expect(t.locator(".guide-count")).toHaveText(/step 1 of \d+/);
  // Step 1 runs until its condition (a leader), then waits for Next.
  await expect(t.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await expect(t.getByRole("button", { name: "Next ▶" })).toBeEnabled();
  await expect.poll(() => t.evaluate((el) => el.app.playing), { timeout: 15000 }).toBe(false);
  const before = await t.evaluate((el) => JSON.stringify(el.playground.state()));
  await t.getByRole("button", { name: "Next ▶" }).click();
  await expect(t.locator(".guide-count")).toHaveText(/step 2 of \d+/);
  await expect.poll(() => t.evaluate((el) => el.app.playing), { timeout: 15000 }).toBe(false);
  // Back restores the exact state step 1 ended in.
  await t.getByRole("button", { name: "◀ Back" }).click();
  await expect(t.locator(".guide-count")).toHaveText(/step 1 of \d+/);
  expect(await t.evaluate((el) => JSON.stringify(el.playground.state()))).toBe(before);
  expect(new URL(page.url()).search).toBe("");
  // An unknown tour: a warning, and free play with the element's own setup.
  expect(warnings.some((w) => w.includes('"no-such-tour"'))).toBe(true);
  await expect(page.locator("#u .rp-guide")).toHaveCount(0);
  expect(await page.evaluate(() => document.getElementById("u").app.settings.seed)).toBe(5);
  expect(errors).toEqual([]);
});

test("an element lays out by its own width, and Space acts only on the element it is pressed in", async ({ page }) => {
  const errors = watchErrors(page);
  await virtualPage(
    page,
    "/virtual/pages/narrow.html",
    hostPage(`<div style="width: 620px"><raft-playground id="n" seed="8" spacetime></raft-playground></div>
              <div style="width: 1200px"><raft-playground id="w" seed="9" controls="full" spacetime></raft-playground></div>`),
  );
  await whenReady(page, "raft-playground");
  const box = async (sel) => page.locator(sel).boundingBox();
  // Narrow: the diagram goes under the cluster. Wide, with the full controls: beside it.
  const nc = await box("#n .rp-cluster");
  const ns = await box("#n .rp-spacetime");
  expect(ns.y).toBeGreaterThanOrEqual(nc.y + nc.height - 1);
  const wc = await box("#w .rp-cluster");
  const ws = await box("#w .rp-spacetime");
  expect(ws.x).toBeGreaterThanOrEqual(wc.x + wc.width - 1);
  expect(Math.abs(ws.y - wc.y)).toBeLessThan(2);

  const playing = () => page.evaluate(() => ["n", "w"].map((id) => document.getElementById(id).app.playing));
  expect(await playing()).toEqual([false, false]);
  await page.locator("body").press(" "); // on the page: neither element
  expect(await playing()).toEqual([false, false]);
  await page.locator("#w .rp-logs").click(); // inside the second element, not on a control
  await page.keyboard.press(" ");
  await expect.poll(playing).toEqual([false, true]);
  await page.locator("#n .rp-cluster figcaption").click();
  await page.keyboard.press(" ");
  await expect.poll(playing).toEqual([true, true]);
  await page.keyboard.press(" ");
  await expect.poll(playing).toEqual([false, true]);
  expect(errors).toEqual([]);
});
