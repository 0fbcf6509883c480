#!/usr/bin/env node
// What the space-time diagram costs per animation frame, measured in headless Debian
// Chromium at 1280x800 on the built page: 9 nodes at real-time speed with a client request
// every 250 ms of wall time, the diagram shown. The diagram's update (reading the trace,
// moving arrows) is timed with performance.now() around each call, for each window size.
//
//   node bench/spacetime-cost.mjs [--seconds 5]

import { chromium } from "@playwright/test";
import { serve } from "../scripts/serve.mjs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 5;
const root = fileURLToPath(new URL("..", import.meta.url));
const { server, url: base } = await serve({ dir: root, port: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}index.html?seed=1&nodes=9&speed=1`);
  await page.waitForSelector("html[data-ready=true]");
  await page.click("[data-ref=spacetimeToggle]");
  await page.waitForSelector(".st-svg", { state: "attached" }); // the diagram loads on first show
  for (const span of [500, 2000]) {
    const r = await page.evaluate(
      async ({ span, seconds }) => {
        const st = window.playgroundApp.spacetime.view;
        st.select.value = String(span);
        st.select.dispatchEvent(new Event("change"));
        const times = [];
        const update = st.update.bind(st);
        st.update = (...a) => {
          const t0 = performance.now();
          update(...a);
          times.push(performance.now() - t0);
        };
        let k = 0;
        const timer = setInterval(() => {
          try {
            window.playground.propose(`c${k++}`);
          } catch {
            // no leader at this moment
          }
        }, 250);
        await new Promise((res) => setTimeout(res, 1000)); // warm up
        times.length = 0;
        await new Promise((res) => setTimeout(res, seconds * 1000));
        clearInterval(timer);
        st.update = update;
        return { times, arrows: document.querySelectorAll(".st-msg").length };
      },
      { span, seconds },
    );
    const mean = r.times.reduce((a, b) => a + b, 0) / r.times.length;
    console.log(
      `spacetime window ${span} ms: ${r.times.length} frames, update mean ${mean.toFixed(3)} ms, p95 ${pct(r.times, 95).toFixed(3)} ms, max ${Math.max(...r.times).toFixed(3)} ms; ${r.arrows} arrows drawn at the end`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
