// Guided tours in real Chromium: every shipped tour plays to its end through the Next
// button with each step's condition met (read from the page's state and DOM), Back
// restores the exact earlier state(), and the reader can poke the cluster and resume.
// A screenshot of each tour's last step goes to artifacts/.
import { test, expect } from "@playwright/test";
import { watchErrors } from "./util.mjs";
import fs from "node:fs";
import { SCENARIOS } from "../../www/scenarios/index.js";

const guide = (page) => page.locator(".rp-guide");
const stateJson = (page) => page.evaluate(() => JSON.stringify(window.playground.state()));

async function waitStep(page, n) {
  await expect(guide(page)).toHaveAttribute("data-step", String(n), { timeout: 20000 });
  await expect(guide(page)).not.toHaveAttribute("data-status", "running", { timeout: 20000 });
  await expect(guide(page)).toHaveAttribute("data-status", "done");
}

for (const sc of SCENARIOS) {
  test(`tour ${sc.id} plays to its end`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/index.html?scenario=${sc.id}&speed=1`);
    await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
    await waitStep(page, 1);
    for (let i = 2; i <= sc.steps.length; i++) {
      await page.getByRole("button", { name: "Next ▶" }).click();
      await waitStep(page, i);
      const caption = await page.locator(".guide-caption").textContent();
      expect(caption).not.toMatch(/undefined|NaN/);
    }
    await expect(page.locator(".guide-count")).toHaveText(`step ${sc.steps.length} of ${sc.steps.length}`);
    await expect(page.getByRole("button", { name: "Next ▶" })).toBeDisabled();
    const s = await page.evaluate(() => window.playground.state());
    // The checker finds a violation in the tour that breaks Raft, and only there.
    const broken = sc.id === "break-raft" || sc.id === "figure-8-broken";
    expect(s.violations.length > 0).toBe(broken);
    if (broken) await expect(page.locator(".rp-banner")).toBeVisible();
    else expect(s.nodes.some((n) => n.role === "leader" || n.role === "candidate")).toBe(true);
    fs.mkdirSync("artifacts", { recursive: true });
    await page.screenshot({ path: `artifacts/tour-${sc.id}.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
}

test("Back restores the identical state, Next replays to the identical state", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/index.html?scenario=log-replication&speed=1`);
  await waitStep(page, 1);
  const at1 = await stateJson(page);
  await page.getByRole("button", { name: "Next ▶" }).click();
  await waitStep(page, 2);
  await page.getByRole("button", { name: "Next ▶" }).click();
  await waitStep(page, 3);
  const at3 = await stateJson(page);
  await page.getByRole("button", { name: "◀ Back" }).click();
  await page.getByRole("button", { name: "◀ Back" }).click();
  await waitStep(page, 1);
  expect(await stateJson(page)).toBe(at1);
  await page.getByRole("button", { name: "Next ▶" }).click();
  await page.getByRole("button", { name: "Next ▶" }).click();
  await waitStep(page, 3);
  expect(await stateJson(page)).toBe(at3);
  expect(errors).toEqual([]);
});

test("a tour is linkable by step, and reaches the same state as playing it", async ({ page }) => {
  await page.goto(`/index.html?scenario=split-vote&speed=1`);
  await waitStep(page, 1);
  for (let i = 2; i <= 3; i++) {
    await page.getByRole("button", { name: "Next ▶" }).click();
    await waitStep(page, i);
  }
  const played = await stateJson(page);
  await page.goto(`/index.html?scenario=split-vote&step=3&speed=1`);
  await waitStep(page, 3);
  expect(await stateJson(page)).toBe(played);
  expect(new URL(page.url()).searchParams.get("scenario")).toBe("split-vote");
});

test("the reader pokes the cluster mid-tour, then resumes exactly where the tour was", async ({ page }) => {
  await page.goto(`/index.html?scenario=partition&speed=1`);
  await waitStep(page, 1);
  const before = await stateJson(page);
  await page.getByRole("button", { name: "Client request" }).click();
  await expect(guide(page)).toHaveAttribute("data-status", "poked");
  await expect(page.getByRole("button", { name: "Resume the guide" })).toBeVisible();
  expect(await stateJson(page)).not.toBe(before);
  await page.getByRole("button", { name: "Resume the guide" }).click();
  await waitStep(page, 1);
  expect(await stateJson(page)).toBe(before);
  await page.getByRole("button", { name: "Next ▶" }).click();
  await waitStep(page, 2);
});

test("poked while a step still runs, the caption bar names nothing that is not there yet", async ({ page }) => {
  // At the tour's own slow speed, step 1 (the first election) runs for seconds of wall time.
  await page.goto(`/index.html?scenario=log-replication`);
  await expect(guide(page)).toHaveAttribute("data-status", "running");
  await page.locator('.node[data-node-id="2"]').click();
  await page.getByRole("menuitem", { name: "Crash node 2" }).click();
  await expect(guide(page)).toHaveAttribute("data-status", "poked");
  expect(await page.locator(".rp-guide").textContent()).not.toMatch(/undefined|NaN/);
  await page.getByRole("button", { name: "Resume the guide" }).click();
  await expect(guide(page)).toHaveAttribute("data-status", "running");
  expect(await page.locator(".rp-guide").textContent()).not.toMatch(/undefined|NaN/);
});

test("an unknown tour shows a message and a working cluster", async ({ page }) => {
  await page.goto(`/index.html?scenario=no-such-tour&speed=1`);
  await expect(page.locator(".rp-notice")).toContainText("no guided tour");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
});

test("resetting the cluster during a tour ends the tour", async ({ page }) => {
  await page.goto(`/index.html?scenario=leader-election&speed=1`);
  await waitStep(page, 1);
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(guide(page)).not.toHaveClass(/active/);
  await expect(page.getByRole("combobox", { name: "Guided tour" })).toHaveValue("");
  await expect(page.getByRole("button", { name: "Next ▶" })).toBeHidden();
});

test("on a phone, picking a tour or a step scrolls the caption to the top, with the whole cluster under it", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto("/index.html?speed=1");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  // Caption box and cluster SVG both on screen, the caption box at the top (0 or a little
  // more where the page ends before the box could reach the top).
  const together = () =>
    page.evaluate(() => {
      const g = document.querySelector(".rp-guide").getBoundingClientRect();
      const s = document.querySelector(".rp-cluster svg").getBoundingClientRect();
      return g.top >= -1 && g.top < 20 && s.bottom <= innerHeight + 1;
    });
  await page.selectOption(".guide-select", "log-replication");
  await waitStep(page, 1);
  await expect.poll(together).toBe(true);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  for (const n of [2, 3]) {
    await page.getByRole("button", { name: "Next ▶" }).click();
    await waitStep(page, n);
    await expect.poll(together).toBe(true);
  }
  await page.getByRole("button", { name: "◀ Back" }).click();
  await waitStep(page, 2);
  await expect.poll(together).toBe(true);
  // On a wide screen the page stays where the reader put it.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole("button", { name: "Next ▶" }).click();
  await waitStep(page, 3);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(errors).toEqual([]);
  await ctx.close();
});
