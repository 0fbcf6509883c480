// A long, mixed session of everything a reader can do on the page, pointer and keyboard,
// in a fixed order that takes each action several times, on varying nodes: after each action the
// page must have logged no error, shown no "stopped" banner, and the safety checker must have
// found nothing (the protocol is the real one). At the end, with every node restarted and the
// network healed, the cluster must still elect a leader and commit a request everywhere.
//
// MONKEY_SEED=N draws the order of actions and their nodes at random instead (fast-check,
// from seed N), for a longer search: `MONKEY_SEED=3 npx playwright test test/browser/monkey`.
import { test, expect } from "@playwright/test";
import fc from "fast-check";
import { watchErrors, open } from "./util.mjs";

const ACTIONS = [
  "playPause",
  "step",
  "request",
  "nodeMenu",
  "drag",
  "speed",
  "heal",
  "back",
  "latest",
  "message",
  "loss",
  "prevote",
  "size",
  "keyMenu",
  "shortcut",
  "wait",
];
const STEPS = 120;
/** With MONKEY_SEED: for each step, [which action, which node] as numbers to reduce. */
const PLAN =
  process.env.MONKEY_SEED === undefined
    ? null
    : fc.sample(fc.array(fc.tuple(fc.nat({ max: ACTIONS.length - 1 }), fc.nat()), { minLength: STEPS, maxLength: STEPS }), {
        seed: Number(process.env.MONKEY_SEED),
        numRuns: 1,
      })[0];

test("a long mixed session of user actions breaks nothing and the cluster recovers", async ({ page }) => {
  test.setTimeout(180_000);
  await session(page);
});

test("the same session on a phone, where the cluster view is tall", async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await session(page, "110 -110 500 720");
  await ctx.close();
});

/** The session, on a page whose cluster view has `viewBox` (the wide one by default). */
async function session(page, viewBox = "0 0 720 500") {
  const errors = watchErrors(page);
  await open(page, "speed=1&seed=11&nodes=5");
  await expect(page.locator(".rp-cluster svg")).toHaveAttribute("viewBox", viewBox);
  const ids = () => page.locator(".node[data-node-id]").evaluateAll((els) => els.map((e) => Number(e.dataset.nodeId)));
  const done = [];
  const refused = new Set(); // what the page refused to do, in the event log's words

  for (let i = 0; i < STEPS; i++) {
    // A stride coprime with the list's length walks through every action; the target node
    // and other choices vary with the step.
    const action = PLAN ? ACTIONS[PLAN[i][0]] : ACTIONS[(i * 7) % ACTIONS.length];
    const nodes = await ids();
    const target = nodes[(PLAN ? PLAN[i][1] : i * 3) % nodes.length];
    done.push(`${i}:${action}:${target}`);
    switch (action) {
      case "playPause":
        await page.locator(".rp-toolbar button", { hasText: /^(Play|Pause)$/ }).click();
        break;
      case "step":
        await page.getByRole("button", { name: "Step", exact: true }).click();
        break;
      case "request":
        await page.getByRole("button", { name: "Client request" }).click();
        break;
      case "heal":
        await page.getByRole("button", { name: "Heal network" }).click();
        break;
      case "nodeMenu":
      case "keyMenu": {
        if (action === "nodeMenu") await page.locator(`[data-node-id="${target}"] .body`).click({ force: true });
        else {
          await page.locator(`[data-node-id="${target}"]`).focus();
          await page.keyboard.press("Enter");
        }
        const items = page.locator(".node-menu button:not([disabled])");
        await expect(page.locator(".node-menu")).toBeVisible();
        const n = await items.count();
        if (n === 0) {
          await page.keyboard.press("Escape");
          break;
        }
        const k = (i * 5) % n;
        if (action === "nodeMenu") await items.nth(k).click();
        else {
          await items.nth(k).focus();
          await page.keyboard.press("Enter");
        }
        await expect(page.locator(".node-menu")).toBeHidden();
        break;
      }
      case "drag": {
        await page.locator(".rp-cluster svg").scrollIntoViewIfNeeded(); // a phone's screen may not hold it all
        const box = await page.locator(`[data-node-id="${target}"] .body`).boundingBox();
        const svg = await page.locator(".rp-cluster svg").boundingBox();
        if (!box || !svg) break;
        // Alternately out to an empty corner (a group of its own) and onto another node
        // (join its group).
        const other = nodes[(i * 3 + 1) % nodes.length];
        const to =
          i % 2 === 0
            ? { x: svg.x + 40 + ((i * 37) % 80), y: svg.y + 40 + ((i * 53) % 60) }
            : await page
                .locator(`[data-node-id="${other}"] .body`)
                .boundingBox()
                .then((b) => (b ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : { x: svg.x + svg.width / 2, y: svg.y + svg.height / 2 }));
        const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        for (let s = 1; s <= 8; s++) await page.mouse.move(from.x + ((to.x - from.x) * s) / 8, from.y + ((to.y - from.y) * s) / 8);
        await page.mouse.up();
        break;
      }
      case "speed":
        await page.getByLabel("Speed").fill(String([3, 2, 1.5, 2.5][i % 4]));
        break;
      case "back":
        await page.getByRole("button", { name: "−1 s" }).click();
        break;
      case "latest":
        if (await page.getByRole("button", { name: "Latest" }).isEnabled()) await page.getByRole("button", { name: "Latest" }).click();
        break;
      case "message": {
        await page.locator(".rp-cluster svg").scrollIntoViewIfNeeded();
        const at = await page.evaluate(() => {
          const app = window.playgroundApp;
          const g = document.querySelector(".rp-cluster [data-message-id]");
          return g ? app.messagePoint(g.dataset.messageId) : null;
        });
        if (at) await page.mouse.click(at.x, at.y);
        break;
      }
      case "loss": {
        const loss = page.getByLabel("Message loss");
        await loss.fill(String([0.1, 0, 0.3, 0][i % 4]));
        await loss.dispatchEvent("change");
        break;
      }
      case "prevote":
        await page.getByLabel("PreVote").click();
        break;
      case "size":
        await page.getByLabel("Cluster size").selectOption(String(3 + ((i * 5) % 7)));
        break;
      case "shortcut":
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press("scrhatbl"[i % 8]);
        break;
      case "wait":
        await page.waitForTimeout(400);
        break;
    }
    await page.waitForTimeout(60);
    const health = await page.evaluate(() => ({
      banner: document.querySelector(".rp-banner:not([hidden])")?.textContent ?? null,
      violations: window.playground.state({ logLimit: 0, entryLimit: 0 }).violations,
      refused: [...document.querySelectorAll(".events li.ev-error")].map((li) => li.textContent.replace(/^[\d.]+ s /, "").replace(/ \(×\d+\)$/, "")),
    }));
    for (const r of health.refused) refused.add(r);
    expect(errors, `errors after ${done.slice(-4).join(" ")}`).toEqual([]);
    expect(health.banner, `banner after ${done.slice(-4).join(" ")}`).toBeNull();
    expect(health.violations, `violations after ${done.slice(-4).join(" ")}`).toEqual([]);
  }

  // The page may refuse an action (a request with no leader, say), in Raft's words; any
  // other error text in the log (a TypeError caught by the page, say) is a bug.
  const RAFT_REFUSALS = /^(no leader: |no leader to restart$|node \d+ is (not the leader|crashed|already running)|no message \d+ is in flight|cannot compact to index \d+: |a leadership transfer to node \d+ is already in progress|node \d+ did not win leadership; press L again$)/;
  for (const r of refused) expect(r, "a refusal the protocol or simulator gave").toMatch(RAFT_REFUSALS);
  // Every action was taken at least once (in the fixed order; a random one may miss some).
  if (!PLAN) expect(new Set(done.map((d) => d.split(":")[1]))).toEqual(new Set(ACTIONS));

  // Recovery: every node up, one network, no loss, running at real time.
  await page.evaluate(() => {
    const pg = window.playground;
    for (const n of pg.state({ logLimit: 0, entryLimit: 0 }).nodes) if (!n.up) pg.restart(n.id);
    pg.heal();
    pg.setNetwork({ lossRatio: 0 });
  });
  if (await page.getByRole("button", { name: "Latest" }).isEnabled()) await page.getByRole("button", { name: "Latest" }).click();
  await page.getByLabel("Speed").fill("3");
  if ((await page.locator(".rp-toolbar button", { hasText: /^(Play|Pause)$/ }).textContent()) === "Play") {
    await page.locator(".rp-toolbar button", { hasText: /^Play$/ }).click();
  }
  // A request goes in once there is a leader again; then every node commits it.
  let index = null;
  await expect
    .poll(
      async () =>
        (index = await page.evaluate(() => {
          try {
            return window.playground.propose("after-the-storm").index;
          } catch {
            return null;
          }
        })),
      { timeout: 20_000 },
    )
    .not.toBeNull();
  expect(index).not.toBeNull();
  await expect
    .poll(() => page.evaluate((k) => window.playground.state({ logLimit: 0 }).nodes.every((n) => n.commitIndex >= k), index), { timeout: 20_000 })
    .toBe(true);
  expect(errors).toEqual([]);
}
