// Browser tests in Debian's Chromium (never a Playwright-downloaded browser: none can be
// fetched here). The static server serves the repository root, so tests reach the page as
// `/index.html` and the built site as `/dist/...`.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.TEST_PORT ?? 4173);
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: "test",
  testMatch: ["browser/**/*.spec.{js,mjs,ts}", "dist/**/*.spec.{js,mjs,ts}"],
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: ci ? 1 : 2,
  retries: 0,
  forbidOnly: ci,
  reporter: [["list"], ["./scripts/playwright-summary.mjs"]],
  webServer: {
    command: `node scripts/serve.mjs --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !ci,
    timeout: 30_000,
  },
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium" }],
});
