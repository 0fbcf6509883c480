// Time travel and shareable runs in real Chromium: scrubbing back and forth, forking the
// future, frame-independent replay, run links (copy, reopen, tamper), trace and SVG export.
import { test, expect } from "@playwright/test";
import { watchErrors, open } from "./util.mjs";

const stateJson = (page) => page.evaluate(() => JSON.stringify(window.playground.state()));

test("a run played live with actions reopens from its copied link to the identical state", async ({ page, context }) => {
  const errors = watchErrors(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, "seed=21&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await page.getByRole("button", { name: "Client request" }).click();
  await page.waitForTimeout(300);
  await page.getByRole("button", { name: "Client request" }).click();
  const leader = await page.evaluate(() => window.playground.state().leader);
  await page.evaluate((l) => window.playground.crash(l), leader);
  await page.waitForTimeout(800);
  await page.getByRole("button", { name: "Pause" }).click();
  const here = await stateJson(page);
  await page.getByRole("button", { name: "Copy link" }).click();
  // Sharing loads on first use: the link appears once its module has arrived.
  await expect(page.locator(".share-link")).toHaveValue(/run=/);
  const link = await page.locator(".share-link").inputValue();
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  expect(await stateJson(page)).toBe(here);
  expect(errors).toEqual([]);
});

test("scrubbing back restores the exact past; playing on replays the same future; acting forks it", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=22&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await page.getByRole("button", { name: "Client request" }).click();
  await page.waitForTimeout(1500);
  await page.getByRole("button", { name: "Pause" }).click();
  const end = await page.evaluate(() => window.playgroundTeach.recorded.position());
  const endState = await stateJson(page);
  // Before the first action, a fresh playground advanced straight there is the reference.
  const first = await page.evaluate(() => window.playgroundTeach.recorded.actions[0].us);
  const t = Math.floor(first / 2);
  const ref = await page.evaluate((us) => {
    const rp = window.playgroundTeach.recorded;
    const fresh = new rp.Real(rp.run().options);
    fresh.advance(us / 1000);
    const s = JSON.stringify(fresh.state());
    fresh.free();
    return s;
  }, t);
  await page.evaluate((us) => window.playgroundTeach.timeline.jump({ us }), t);
  expect(await stateJson(page)).toBe(ref);
  await expect(page.locator(".rp-timeline")).toHaveClass(/in-past/);
  // Forward again (replaying the recorded request at its exact µs): identical end state.
  await page.getByRole("button", { name: "Latest" }).click();
  expect(await stateJson(page)).toBe(endState);
  // The slider scrubs too.
  const slider = page.locator(".tl-range");
  await slider.fill("100");
  await expect.poll(() => page.evaluate(() => window.playground.state().timeMs)).toBe(100);
  // Acting in the past forks: the recorded future is dropped.
  const before = await page.evaluate(() => window.playgroundTeach.recorded.actions.length);
  expect(before).toBe(1);
  await page.evaluate(() => window.playground.timeout(1));
  const after = await page.evaluate(() => ({ n: window.playgroundTeach.recorded.actions.length, end: window.playgroundTeach.recorded.endTimeUs, a: window.playgroundTeach.recorded.actions[0] }));
  expect(after.n).toBe(1);
  expect(after.a.op).toBe("timeout");
  expect(after.end).toBeLessThan(end.us);
  expect(errors).toEqual([]);
});

test("replay does not depend on frame chunking: odd chunks and one big step agree", async ({ page }) => {
  await open(page, "seed=23&speed=1");
  const same = await page.evaluate(() => {
    const rp = window.playgroundTeach.recorded;
    window.playgroundApp.pause();
    const Real = rp.Real;
    const a = new Real({ nodes: 5, seed: 99 });
    const b = new Real({ nodes: 5, seed: 99 });
    const chunks = [16.7, 3, 33.3, 1, 0.5, 50];
    let t = 0, k = 0;
    while (t < 5000) { const c = chunks[k++ % chunks.length]; a.advance(c); t += c; }
    const us = Math.round(a.timeMs * 1000);
    b.advance(us / 1000);
    const r = JSON.stringify(a.state()) === JSON.stringify(b.state());
    a.free(); b.free();
    return r;
  });
  expect(same).toBe(true);
});

test("a jump anywhere in a 10-minute run costs under 200 ms", async ({ page }) => {
  await open(page, "seed=24&speed=1");
  const r = await page.evaluate(() => {
    window.playgroundApp.pause();
    const pg = window.playground;
    for (let i = 0; i < 600; i++) {
      pg.advance(1000);
      if (i % 10 === 0) { try { pg.propose(`c${i}`); } catch {} }
    }
    const tl = window.playgroundTeach.timeline;
    const costs = [];
    for (let i = 0; i < 30; i++) costs.push(tl.jump({ us: (((i * 7919) % 600) * 1e6) + 3_999_000 }));
    costs.push(tl.jump({ us: 3_999_000 }), tl.jump({ us: 599_999_000 }));
    costs.sort((x, y) => x - y);
    return { worst: costs.at(-1), median: costs[Math.floor(costs.length / 2)], checkpoints: window.playgroundTeach.recorded.checkpoints.length };
  });
  console.log(`jump cost in a 10-minute run: median ${r.median.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms, ${r.checkpoints} checkpoints`);
  expect(r.worst).toBeLessThan(200);
});

for (const [what, run] of [
  ["garbage", "%%%not-base64"],
  ["cut short", "eyJ2IjoxLCJvIjp7InNlZWQiOjF9LCJhIjpbWzEwMD"],
  ["a made-up action", null],
  ["an impossible action", null],
]) {
  test(`a run link that is ${what} shows a clear message and a fresh cluster`, async ({ page }) => {
    const errors = watchErrors(page);
    let param = run;
    if (what === "a made-up action") param = Buffer.from(JSON.stringify({ v: 1, o: { seed: 1 }, a: [[5, "formatDisk", 1]], t: [5, 1] })).toString("base64url");
    if (what === "an impossible action") param = Buffer.from(JSON.stringify({ v: 1, o: { seed: 1, nodes: 5 }, a: [[5, "crash", 42]], t: [10, 1] })).toString("base64url");
    await open(page, `speed=1&run=${param}`);
    await expect(page.locator(".rp-notice")).toBeVisible();
    await expect(page.locator(".rp-notice")).toContainText("could not be opened");
    await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
    expect(errors).toEqual([]);
  });
}

test("export a JSON trace and an SVG; importing the trace reproduces the state", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=25&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await page.getByRole("button", { name: "Client request" }).click();
  await page.waitForTimeout(500);
  await page.getByRole("button", { name: "Pause" }).click();
  const here = await stateJson(page);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export trace" }).click()]);
  const path = await dl.path();
  const trace = JSON.parse(require_fs().readFileSync(path, "utf8"));
  const kinds = new Set(trace.events.map((e) => e.kind));
  for (const k of ["send", "deliver", "roleChange", "termChange", "commit", "propose"]) expect(kinds).toContain(k);
  expect(trace.events[0].seq).toBe(0); // nothing scrolled out of the bounded trace
  const [svg] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export SVG" }).click()]);
  const svgText = require_fs().readFileSync(await svg.path(), "utf8");
  expect(svgText).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svgText).toContain("data-node-id");
  // Import the trace file into a fresh page.
  await open(page, "seed=26&speed=1");
  await page.locator(".share-import input").setInputFiles(path);
  await expect.poll(() => stateJson(page)).toBe(here);
  expect(errors).toEqual([]);
});

import fs from "node:fs";
function require_fs() {
  return fs;
}
