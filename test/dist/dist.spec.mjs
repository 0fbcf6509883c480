// The built site (npm run build -> dist/): served over HTTP as it is, and the single
// self-contained file opened straight from disk (file://), where no module or wasm can be
// fetched from a server.
import { test, expect } from "@playwright/test";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const single = `${dist}raft-playground.html`;

/** Collects console errors and uncaught exceptions of a page. */
function watchErrors(page) {
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  return errors;
}

async function expectLeader(page) {
  await page.waitForFunction(() => window.playground && window.playground.state().leader !== null, null, {
    timeout: 20_000,
  });
  await expect(page.locator('[data-node-id][data-role="leader"]')).toHaveCount(1);
}

test("dist/index.html runs from a plain static server", async ({ page }) => {
  test.skip(!existsSync(`${dist}index.html`), "dist/ not built (npm run build)");
  const errors = watchErrors(page);
  await page.goto("/dist/index.html?seed=5&speed=1");
  await expectLeader(page);
  expect(errors).toEqual([]);
});

test("dist/raft-playground.html opens from file:// with everything inlined", async ({ page }, info) => {
  test.skip(!existsSync(single), "dist/raft-playground.html not built (npm run build)");
  const errors = watchErrors(page);
  const requests = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("data:")) requests.push(r.url());
  });
  await page.goto(pathToFileURL(single).href + "?seed=5&speed=1");
  await expectLeader(page);
  const nodes = await page.locator("[data-node-id]").count();
  expect(nodes).toBeGreaterThanOrEqual(3);
  // Nothing but the file itself was loaded.
  expect(requests.filter((u) => !u.startsWith(pathToFileURL(single).href))).toEqual([]);
  expect(errors).toEqual([]);
  await page.screenshot({ path: info.outputPath("single-file.png") });
});
