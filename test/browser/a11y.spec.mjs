// Accessibility audit: axe-core (the rules behind Lighthouse's and the browsers' own
// accessibility panels) over the page in the states a reader meets: a running cluster
// with requests and a partition, a node's menu open, a guided tour, the space-time
// diagram, a crashed node, a phone's screen and the ?embed=1 layout. Any violation,
// whatever its impact, fails the test and names the rule and the elements.
import { test, expect } from "@playwright/test";
import { createRequire } from "node:module";
import { open as openPage } from "./util.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The page at full speed, seed 3, once it has a leader. */
async function open(page, query) {
  await openPage(page, `speed=1&seed=3${query}`);
  await page.waitForFunction(() => window.playground.state().leader);
}

/** axe's violations on the page now, one line per rule: "rule (impact): help: elements". */
async function audit(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document);
    return violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** A cluster that has done things: requests committed, the leader cut off, one more request. */
async function busy(page) {
  await page.evaluate(() => {
    const pg = window.playground;
    for (let i = 0; i < 3; i++) pg.propose(`x=${i}`);
    const l = pg.state().leader;
    pg.advance(200);
    pg.partition([[l]]);
    pg.propose("lost", l);
  });
  await page.waitForTimeout(400);
}

test("the page, busy and partitioned, with a node's menu open, then with a node crashed", async ({ page }) => {
  await open(page, "");
  await busy(page);
  expect(await audit(page)).toEqual([]);
  const node = page.locator(".node[data-node-id='2']");
  await node.focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".node-menu")).toBeVisible();
  expect(await audit(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await page.evaluate(() => window.playground.crash(2));
  await expect(node).toHaveAttribute("data-up", "false");
  expect(await audit(page)).toEqual([]);
});

test("a guided tour and the space-time diagram", async ({ page }) => {
  await open(page, "");
  await page.selectOption(".guide-select", { index: 4 });
  await expect(page.locator(".rp-guide.active")).toHaveCount(1);
  await page.getByRole("button", { name: "Space-time" }).click();
  await expect(page.locator(".rp-spacetime")).toBeVisible();
  await page.waitForTimeout(600);
  expect(await audit(page)).toEqual([]);
});

test("a phone's screen", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await ctx.newPage();
  await open(page, "");
  await busy(page);
  expect(await audit(page)).toEqual([]);
  await ctx.close();
});

test("the ?embed=1 layout", async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 600 });
  await open(page, "&embed=1");
  await busy(page);
  expect(await audit(page)).toEqual([]);
});

test("the <raft-playground> element on the demo post (in its shadow roots)", async ({ page }) => {
  await page.goto("/www/embed-demo.html");
  const elements = page.locator("raft-playground");
  await expect(page.locator("raft-playground[data-ready=true]")).toHaveCount(await elements.count());
  await page.waitForTimeout(600);
  expect(await audit(page)).toEqual([]);
});
