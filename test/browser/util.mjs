// Helpers shared by the browser tests.
import { expect } from "@playwright/test";

/** Collects console errors and uncaught exceptions of `page`; the test expects none. */
export function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Opens the development page with `query` and waits until its first frame is drawn. */
export async function open(page, query) {
  await page.goto(`/index.html?${query}`);
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
}
