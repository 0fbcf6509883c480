// Browser tests of the playground page: real Chromium, real clicks and drags,
// assertions on the page's DOM hooks (data-node-id, data-role, data-term,
// data-group, data-message-type) and on the log panel.
import { test, expect } from "@playwright/test";
import fs from "node:fs";

// Tall enough that the log panel is in view: out of view, the page does not redraw it
// (the test "the log panel is not redrawn out of view" in panels.spec.mjs).
test.use({ viewport: { width: 1280, height: 1240 } });

// Real time (speed=1): elections take a few hundred simulated ms, so tests stay quick.
const PAGE = "/index.html?speed=1";

/** Collects console errors and uncaught exceptions for the whole test. */
function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

async function open(page, query = "") {
  await page.goto(`${PAGE}${query}`);
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
}

/**
 * A message in flight drawn away from the others (no other within 24 px), so a click on
 * it cannot be taken by a neighbour: { id, type, from, to, at } where `at` is where it
 * is drawn, in client coordinates (window.playgroundApp.messagePoint); null if there is
 * none. `appendWithEntries`: only an AppendEntries that carries entries will do.
 */
function findIsolatedMessage(page, { appendWithEntries = false } = {}) {
  return page.evaluate((appendWithEntries) => {
    const app = window.playgroundApp;
    const s = window.playground.state({ logLimit: 0, entryLimit: 0 });
    const pts = s.messages.map((m) => ({ m, at: app.messagePoint(String(m.id)) })).filter((p) => p.at);
    const alone = pts.find(
      (p) =>
        (!appendWithEntries || (p.m.type === "AppendEntries" && p.m.entryCount > 0)) &&
        pts.every((q) => q === p || Math.hypot(q.at.x - p.at.x, q.at.y - p.at.y) >= 24),
    );
    if (!alone) return null;
    const { id, type, from, to } = alone.m;
    return { id: String(id), type, from, to, at: alone.at };
  }, appendWithEntries);
}

/** findIsolatedMessage, which must find one. */
async function isolatedMessage(page) {
  const found = await findIsolatedMessage(page);
  expect(found, "a message in flight away from the others").not.toBeNull();
  return found;
}

/**
 * Whether the canvas over the cluster has paint around client point `at` (a glyph's
 * size): the pixels there change when the canvas is hidden. (The canvas is painted by a
 * worker, so its pixels cannot be read from the page; some glyphs are white inside.)
 */
async function paintedAt(page, at) {
  const clip = { x: Math.round(at.x) - 7, y: Math.round(at.y) - 7, width: 14, height: 14 };
  const shown = await page.screenshot({ clip });
  await page.locator(".rp-cluster canvas").evaluate((c) => (c.style.visibility = "hidden"));
  const hidden = await page.screenshot({ clip });
  await page.locator(".rp-cluster canvas").evaluate((c) => (c.style.visibility = ""));
  return !shown.equals(hidden);
}

const node = (page, id) => page.locator(`[data-node-id="${id}"]`);
const logRow = (page, id) => page.locator(`.log-row[data-log-node="${id}"]`);

/** Waits for a leader and returns { id, term }. */
async function leader(page, { not = null, minTerm = 0, timeout = 15000 } = {}) {
  let found = null;
  await expect
    .poll(
      async () => {
        const ls = await page.locator('.node[data-role="leader"][data-up="true"]').evaluateAll((els) =>
          els.map((e) => ({ id: Number(e.dataset.nodeId), term: Number(e.dataset.term) })),
        );
        found = ls.filter((l) => l.id !== not && l.term >= minTerm).sort((a, b) => b.term - a.term)[0] ?? null;
        return found !== null;
      },
      { timeout },
    )
    .toBe(true);
  return found;
}

/** Node ids and whether they are up, read from the DOM. */
async function nodes(page) {
  return page.locator(".node[data-node-id]").evaluateAll((els) =>
    els.map((e) => ({ id: Number(e.dataset.nodeId), up: e.dataset.up === "true", group: e.dataset.group, term: Number(e.dataset.term), role: e.dataset.role })),
  );
}

/** The log of node `id` as shown: [{index, cmd, committed}] for visible entries. */
async function shownLog(page, id) {
  return logRow(page, id)
    .locator(".cell.committed, .cell.pending")
    .evaluateAll((els) => els.map((c) => ({ index: Number(c.dataset.index), cmd: c.firstChild.textContent, term: c.lastChild.textContent, committed: c.classList.contains("committed") })));
}

async function openMenu(page, id) {
  await node(page, id).click();
  await expect(page.locator(".node-menu")).toBeVisible();
}

/**
 * Steps the paused cluster until some node has at least `min` messages on their way to it.
 * Returns { target, count, msgs }, msgs being every message in flight as { id, to, at }.
 */
async function stepUntilBusy(page, min) {
  const inFlight = () =>
    page.evaluate(() => window.playground.state({ logLimit: 0, entryLimit: 0 }).messages.map((m) => ({ id: m.id, to: m.to, at: m.deliverAtMs })));
  const busiest = (msgs) => {
    const per = new Map();
    for (const m of msgs) per.set(m.to, (per.get(m.to) ?? 0) + 1);
    return [...per].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
  };
  let msgs = await inFlight();
  let [target, count] = busiest(msgs);
  for (let k = 0; k < 200 && count < min; k++) {
    await page.getByRole("button", { name: "Step", exact: true }).click();
    msgs = await inFlight();
    [target, count] = busiest(msgs);
  }
  expect(count).toBeGreaterThanOrEqual(min);
  return { target, count, msgs };
}

async function dragTo(page, id, target) {
  const box = await node(page, id).locator(".body").boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x + ((target.x - x) * i) / steps, y + ((target.y - y) * i) / steps);
  }
  await page.mouse.up();
}

test("loads without console errors, elects a leader and draws messages", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=11");
  await expect(page.locator(".node[data-node-id]")).toHaveCount(5);
  const l = await leader(page);
  expect(l.term).toBeGreaterThan(0);
  await expect(page.locator("[data-message-type]").first()).toBeAttached({ timeout: 5000 });
  const types = await page.locator("[data-message-type]").evaluateAll((els) => els.map((e) => e.dataset.messageType));
  const known = ["RequestVote", "RequestVoteResponse", "PreVote", "PreVoteResponse", "AppendEntries", "AppendEntriesResponse", "InstallSnapshot", "InstallSnapshotResponse", "TimeoutNow"];
  for (const t of types) expect(known).toContain(t);
  expect(await page.evaluate(() => typeof window.playground.state === "function")).toBe(true);
  expect(errors).toEqual([]);
});

test("a client request reaches every live node's log and is committed", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=12");
  await leader(page);
  await page.getByRole("button", { name: "Client request" }).click();
  for (const n of await nodes(page)) {
    await expect(logRow(page, n.id).locator(".cell.committed", { hasText: /^A/ })).toHaveCount(1, { timeout: 10000 });
  }
  expect(errors).toEqual([]);
});

test("dragging the leader away: the rest elect a new leader, the old one cannot commit, heal converges", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await open(page, "&seed=13");
  const old = await leader(page);
  // Pause so the request reaches the old leader while it still believes it leads.
  await page.getByRole("button", { name: "Pause" }).click();
  const svg = await page.locator(".rp-cluster svg").boundingBox();
  await dragTo(page, old.id, { x: svg.x + svg.width - 20, y: svg.y + svg.height - 20 });
  await expect(page.locator(".group.minority")).toHaveCount(1);
  const after = await nodes(page);
  const oldGroup = after.find((n) => n.id === old.id).group;
  for (const n of after) if (n.id !== old.id) expect(n.group).not.toBe(oldGroup);

  const before = (await shownLog(page, old.id)).length;
  await openMenu(page, old.id);
  await page.getByRole("menuitem", { name: "Client request via this node" }).click();
  await expect.poll(async () => (await shownLog(page, old.id)).length).toBe(before + 1);
  const stranded = (await shownLog(page, old.id)).at(-1);
  expect(stranded.cmd).toBe("A");
  expect(stranded.committed).toBe(false);

  await page.getByRole("button", { name: "Play" }).click();
  const fresh = await leader(page, { not: old.id, minTerm: old.term + 1 });
  expect(fresh.term).toBeGreaterThan(old.term);
  // Long enough for several heartbeats on the majority side: the old entry stays uncommitted.
  await page.waitForTimeout(1500);
  const oldLog = await shownLog(page, old.id);
  const same = oldLog.find((e) => e.index === stranded.index);
  expect(same?.committed ?? false).toBe(false);
  for (const n of after) {
    if (n.id === old.id) continue;
    const log = await shownLog(page, n.id);
    expect(log.some((e) => e.cmd === stranded.cmd && e.committed)).toBe(false);
  }
  await page.screenshot({ path: testInfo.outputPath("partitioned.png") });

  await page.getByRole("button", { name: "Heal network" }).click();
  await expect(page.locator(".group")).toHaveCount(0);
  // After healing every node holds the same committed log, and the stranded entry is gone.
  await expect
    .poll(
      async () => {
        const logs = [];
        for (const n of after) logs.push(JSON.stringify((await shownLog(page, n.id)).map((e) => [e.index, e.cmd, e.term, e.committed])));
        return new Set(logs).size === 1 && !logs[0].includes(`"${stranded.cmd}"`) && logs[0] !== "[]";
      },
      { timeout: 15000 },
    )
    .toBe(true);
  expect(errors).toEqual([]);
});

test("crash and restart a node from its menu", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=14");
  const l = await leader(page);
  const victim = (await nodes(page)).find((n) => n.id !== l.id).id;
  await openMenu(page, victim);
  await page.getByRole("menuitem", { name: `Crash node ${victim}` }).click();
  await expect(node(page, victim)).toHaveAttribute("data-up", "false");
  await expect(node(page, victim).locator(".node-term")).toHaveText("crashed");
  // The others keep committing while it is down.
  await page.getByRole("button", { name: "Client request" }).click();
  await expect(logRow(page, l.id).locator(".cell.committed", { hasText: /^A/ })).toHaveCount(1, { timeout: 10000 });
  await expect(logRow(page, victim).locator(".cell", { hasText: /^A/ })).toHaveCount(0);

  await openMenu(page, victim);
  await page.getByRole("menuitem", { name: `Restart node ${victim}` }).click();
  await expect(node(page, victim)).toHaveAttribute("data-up", "true");
  // Restarted, it catches up with the entry it missed.
  await expect(logRow(page, victim).locator(".cell.committed", { hasText: /^A/ })).toHaveCount(1, { timeout: 10000 });
  expect(errors).toEqual([]);
});

test("controls work from the keyboard: Space pauses, Step advances one event", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=15");
  await leader(page);
  await page.locator("body").press("Space");
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();
  const t0 = await page.evaluate(() => window.playground.state().timeMs);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.playground.state().timeMs)).toBe(t0);
  await page.getByRole("button", { name: "Step" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => page.evaluate(() => window.playground.state().timeMs)).toBeGreaterThanOrEqual(t0);
  await expect(page.locator(".events li").first()).toContainText("step");
  await expect(page.locator(".events li").first()).not.toContainText("ticked");
  expect(errors).toEqual([]);
});

test("?embed=1 renders a compact cluster that runs", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 640, height: 560 });
  await open(page, "&seed=16&embed=1");
  await expect(page.locator(".rp.embed")).toHaveCount(1);
  await expect(page.locator(".rp-settings")).toBeHidden();
  await expect(page.locator(".rp-cluster svg")).toBeVisible();
  await leader(page);
  await page.screenshot({ path: testInfo.outputPath("embed.png") });
  expect(errors).toEqual([]);
});

test("full page screenshot is saved as an artifact", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, "&seed=17");
  await leader(page);
  await page.getByRole("button", { name: "Client request" }).click();
  await page.waitForTimeout(400);
  // Paused, every panel shows the same moment, the log panel below the fold included (a
  // young log: every committed entry has a cell).
  await page.getByRole("button", { name: "Pause" }).click();
  await expect
    .poll(() =>
      page.evaluate(() => {
        const s = window.playground.state();
        return s.nodes.every((n) => document.querySelectorAll(`.log-row[data-log-node="${n.id}"] .cell.committed`).length === n.commitIndex);
      }),
    )
    .toBe(true);
  const path = testInfo.outputPath("playground.png");
  await page.screenshot({ path, fullPage: true });
  fs.mkdirSync("artifacts", { recursive: true });
  fs.copyFileSync(path, "artifacts/playground.png");
  expect(fs.statSync(path).size).toBeGreaterThan(10000);
});

test("a safety violation pauses the page and is shown", async ({ page }) => {
  const errors = watchErrors(page);
  // Deliberately broken Raft: votes are granted without the §5.4.1 log check.
  await open(page, "&seed=21&nodes=3&prevote=0&faults=voteWithoutLogCheck");
  await expect(page.locator(".rp-faults")).toContainText("voteWithoutLogCheck");
  const l = await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  const stale = (await nodes(page)).find((n) => n.id !== l.id).id;
  // A node misses committed entries, the leader dies, and the stale node wins a vote.
  await page.evaluate(
    ([l, stale]) => {
      const pg = window.playground;
      pg.crash(stale);
      for (const c of ["c0", "c1", "c2"]) pg.propose(c);
      pg.advance(300);
      pg.crash(l);
      pg.restart(stale);
      pg.timeout(stale);
      pg.advance(600);
    },
    [l.id, stale],
  );
  await expect(page.locator(".rp-banner")).toBeVisible();
  await expect(page.locator(".rp-banner")).toContainText("leader completeness");
  await expect(page.locator(".events .ev-violation").first()).toBeVisible();
  // The violation paused the page; playing again is the reader's choice.
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.locator(".rp-banner")).toBeHidden();
  expect(errors).toEqual([]);
});

test("no animation frames while paused, hidden, out of view, or with reduced motion", async ({ page, browser }) => {
  const countFrames = () =>
    page.addInitScript(() => {
      const raf = window.requestAnimationFrame.bind(window);
      window.__rafCalls = 0;
      window.requestAnimationFrame = (cb) => {
        window.__rafCalls++;
        return raf(cb);
      };
    });
  const framesDuring = async (ms) => {
    const a = await page.evaluate(() => window.__rafCalls);
    await page.waitForTimeout(ms);
    return (await page.evaluate(() => window.__rafCalls)) - a;
  };
  await countFrames();
  await open(page, "&seed=22");
  await leader(page);
  expect(await framesDuring(300)).toBeGreaterThan(3);

  await page.getByRole("button", { name: "Pause" }).click();
  await page.waitForTimeout(100);
  expect(await framesDuring(500)).toBe(0);
  await page.getByRole("button", { name: "Play" }).click();
  expect(await framesDuring(300)).toBeGreaterThan(3);

  // Tab hidden.
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.waitForTimeout(100);
  expect(await framesDuring(500)).toBe(0);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  expect(await framesDuring(300)).toBeGreaterThan(3);

  // Cluster scrolled out of view.
  await page.setViewportSize({ width: 1280, height: 300 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(200);
  expect(await framesDuring(500)).toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await framesDuring(300)).toBeGreaterThan(3);

  // prefers-reduced-motion: the page opens paused and draws once.
  const ctx = await browser.newContext({ reducedMotion: "reduce" });
  const p2 = await ctx.newPage();
  await p2.goto(`${PAGE}&seed=23`);
  await expect(p2.locator("html[data-ready=true]")).toHaveCount(1);
  await expect(p2.getByRole("button", { name: "Play" })).toBeVisible();
  await expect(p2.locator(".node[data-node-id]")).toHaveCount(5);
  await ctx.close();
});

test("a node's menu opens from the keyboard and Escape returns focus", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=24");
  await leader(page);
  await node(page, 3).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".node-menu")).toBeVisible();
  await expect(page.getByRole("menuitem").first()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Force election timeout" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.locator(".node-menu")).toBeHidden();
  await expect(node(page, 3)).toBeFocused();
  // "Cut off" from the menu partitions the node like a drag does.
  await page.keyboard.press("Enter");
  await page.getByRole("menuitem", { name: "Cut off from the others" }).click();
  await expect(page.locator(".group.minority")).toHaveCount(1);
  await expect.poll(async () => new Set((await nodes(page)).map((n) => n.group)).size).toBe(2);
  expect(errors).toEqual([]);
});

test("a node's menu states its Raft state; the leader's, its view of each follower", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=26");
  const l = await leader(page);
  await page.getByRole("button", { name: "Client request" }).click();
  await page.getByRole("button", { name: "Pause" }).click();
  const s = await page.evaluate(() => window.playground.state());
  const lead = s.nodes.find((n) => n.id === l.id);
  const last = lead.log.at(-1);
  await node(page, l.id).focus();
  await page.keyboard.press("Enter");
  const facts = page.locator(".node-menu .menu-facts");
  await expect(facts).toContainText(`leader · term ${lead.term} · voted for ${lead.votedFor}`);
  await expect(facts).toContainText(`log to ${last.index} (term ${last.term}), committed to ${lead.commitIndex}`);
  // One row per follower, as the leader's progress has it.
  const rows = await facts.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => Number(c.textContent))));
  const want = Object.entries(lead.progress).map(([id, p]) => [Number(id), p.nextIndex, p.matchIndex]).sort((a, b) => a[0] - b[0]);
  expect(rows).toEqual(want);
  expect(rows.length).toBe(s.nodes.length - 1);
  // The menu is described by them, for a screen reader.
  expect(await page.locator(".node-menu").getAttribute("aria-describedby")).toBe(await facts.getAttribute("id"));
  await page.keyboard.press("Escape");
  // A follower: its timer, no table.
  const f = s.nodes.find((n) => n.id !== l.id);
  await node(page, f.id).focus();
  await page.keyboard.press("Enter");
  await expect(facts).toContainText(`follower · term ${f.term}`);
  await expect(facts).toContainText(`election timer: ${Math.round(f.electionTimeoutMs - f.electionElapsedMs)} of ${Math.round(f.electionTimeoutMs)} ms left`);
  await expect(facts.locator("table")).toHaveCount(0);
  await page.keyboard.press("Escape");
  // A crashed node says so.
  await node(page, f.id).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("menuitem", { name: `Crash node ${f.id}` }).click();
  await node(page, f.id).focus();
  await page.keyboard.press("Enter");
  await expect(facts).toContainText(`crashed · term ${f.term}`);
  expect(errors).toEqual([]);
});

test("single-key shortcuts act on the cluster, and the settings turn them off", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=26");
  await leader(page);
  const st = () => page.evaluate(() => window.playground.state());
  const press = async (key) => {
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press(key);
  };
  await press(" "); // pause: each key's effect is then seen before anything else happens
  await expect(page.getByRole("button", { name: "Play", exact: true })).toBeVisible();
  // C: a client request to the leader.
  await press("c");
  let s = await st();
  expect(s.nodes.find((n) => n.id === s.leader).log.at(-1).command).toBe("A");
  // R: the leader crashes and restarts, a follower now.
  const old = s.leader;
  await press("r");
  s = await st();
  expect(s.nodes.find((n) => n.id === old)).toMatchObject({ up: true, role: "follower" });
  // A: every live node times out at once.
  await press("a");
  s = await st();
  expect(s.nodes.every((n) => n.role === "precandidate" || n.role === "candidate")).toBe(true);
  // B: every crashed node comes back.
  await page.evaluate(() => {
    window.playground.crash(1);
    window.playground.crash(2);
  });
  await press("b");
  expect((await st()).nodes.every((n) => n.up)).toBe(true);
  // T: the election timers spread over the timeout range, in the order they stood.
  const left = (n) => n.electionTimeoutMs - n.electionElapsedMs;
  const order = (await st()).nodes.filter((n) => n.role !== "leader").sort((x, y) => left(x) - left(y) || x.id - y.id).map((n) => n.id);
  expect(order.length).toBe(5);
  await press("t");
  const [lo, hi] = await page.evaluate(() => window.playground.options().electionTimeoutMs);
  s = await st();
  for (let i = 0; i < order.length; i++) {
    const want = lo + (i * (hi - lo)) / order.length;
    expect(Math.abs(left(s.nodes.find((n) => n.id === order[i])) - want)).toBeLessThan(10);
  }
  await expect(page.locator(".rp-events")).toContainText(new RegExp(`node ${order[0]}'s election timer was set to ${lo / 10}\\d ms`));
  // H: one network again.
  await page.evaluate(() => window.playground.partition([[1, 2], [3, 4, 5]]));
  await press("h");
  expect(new Set((await st()).nodes.map((n) => n.group)).size).toBe(1);
  // S: one step.
  const t = (await st()).eventSeq;
  await press("s");
  expect((await st()).eventSeq).toBeGreaterThan(t);
  // L: node 1 leads with three requests it cannot commit, only node 2 up with it; B brings
  // the others back and, played, they catch up and the entries commit.
  await press("l");
  s = await st();
  expect(s.leader).toBe(1);
  expect(s.nodes.map((n) => n.up)).toEqual([true, true, false, false, false]);
  const n1 = s.nodes[0];
  const last = n1.log.at(-1).index;
  expect(n1.log.slice(-3).every((e) => e.term === n1.term && /^[A-Z]+$/.test(e.command))).toBe(true);
  expect(n1.commitIndex).toBeLessThan(last - 2);
  await press("b");
  await press(" ");
  await expect.poll(async () => (await st()).nodes.map((n) => n.commitIndex >= last && n.log.at(-1).index >= last), { timeout: 20_000 }).toEqual([true, true, true, true, true]);
  // With node 1 removed from the cluster, L makes the next member, node 2, lead.
  // (A removal needs a leader, and waits for the one before it to commit: tried until taken.)
  const remove = (id) =>
    page.evaluate((id) => {
      try {
        window.playground.removeNode(id);
        return "removed";
      } catch (e) {
        return e.message;
      }
    }, id);
  await expect.poll(() => remove(1), { timeout: 20_000 }).toBe("removed");
  const voters = async () => {
    const x = await st();
    return x.nodes.find((n) => n.id === x.leader)?.voters ?? [];
  };
  await expect.poll(voters, { timeout: 20_000 }).toEqual([2, 3, 4, 5]);
  await press(" ");
  await press("l");
  s = await st();
  expect(s.leader).toBe(2);
  expect(s.nodes.filter((n) => n.up).map((n) => n.id)).toEqual([2, 3]);
  // Down to two members, L says it needs three and changes nothing.
  await press("b");
  await press(" ");
  await expect.poll(() => remove(3), { timeout: 20_000 }).toBe("removed");
  await expect.poll(() => remove(4), { timeout: 20_000 }).toBe("removed");
  await expect.poll(voters, { timeout: 20_000 }).toEqual([2, 5]);
  await press(" ");
  const two = await st();
  await press("l");
  await expect(page.locator(".rp-events")).toContainText("log replication needs a cluster of three members or more");
  expect((await st()).nodes.map((n) => n.up)).toEqual(two.nodes.map((n) => n.up));
  // ?: focus on the "Key shortcuts" box, described by the list of keys.
  await press("?");
  await expect(page.getByLabel("Key shortcuts")).toBeFocused();
  await expect(page.getByLabel("Key shortcuts")).toHaveAccessibleDescription(/T spread the election timers/);
  // Turned off, the letters do nothing (Space still pauses and plays).
  await page.getByLabel("Key shortcuts").uncheck();
  const before = await st();
  await press("c");
  await press("s");
  const after = await st();
  expect(after.eventSeq).toBe(before.eventSeq);
  expect(after.nodes.map((n) => n.log.length)).toEqual(before.nodes.map((n) => n.log.length));
  expect(errors).toEqual([]);
});

test("an append's tooltip lists the entries it carries", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=26");
  const l = await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Client request" }).click();
  // Step until an append carrying entries is drawn away from the other messages.
  const find = () => findIsolatedMessage(page, { appendWithEntries: true });
  let found = await find();
  for (let k = 0; k < 100 && !found; k++) {
    await page.getByRole("button", { name: "Step", exact: true }).click();
    found = await find();
  }
  expect(found, "an append with entries, away from the others").not.toBeNull();
  const entry = await page.evaluate(
    (id) => window.playground.state({ logLimit: 0, entryLimit: 1 }).messages.find((m) => m.id === Number(id)).entries[0],
    found.id,
  );
  expect(entry.command).toBe("A");
  await page.mouse.move(found.at.x, found.at.y);
  await expect(page.locator(".msg-tip")).toContainText(`${l.id}→`);
  await expect(page.locator(".msg-tip")).toContainText(`entries ${entry.index}: A (term ${entry.term})`);
  expect(errors).toEqual([]);
});

test("from the keyboard, a node's menu drops the messages on their way to it", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=26");
  await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  // Paused at a moment when some node has messages coming.
  const { target, count: incoming, msgs } = await stepUntilBusy(page, 1);
  const others = msgs.filter((m) => m.to !== target).map((m) => m.id);
  await node(page, target).focus();
  await page.keyboard.press("Enter");
  const item = page.getByRole("menuitem", { name: incoming === 1 ? "Drop the message on its way to it" : `Drop the ${incoming} messages on their way to it` });
  await item.focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".node-menu")).toBeHidden();
  const after = await page.evaluate(() => window.playground.state({ logLimit: 0, entryLimit: 0 }).messages.map((m) => ({ id: m.id, to: m.to })));
  expect(after.filter((m) => m.to === target)).toEqual([]);
  expect(after.map((m) => m.id)).toEqual(others);
  await expect(page.locator(".events li").first()).toContainText(
    `you dropped ${incoming === 1 ? "the message" : `the ${incoming} messages`} on their way to node ${target}`,
  );
  // With nothing on its way, the item is there but disabled.
  await node(page, target).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: "Drop the messages on their way to it" })).toBeDisabled();
  expect(errors).toEqual([]);
});

test("from the keyboard, a node's menu drops one message on its way to it, soonest listed first", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=26");
  await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  // Step to a moment when some node has two or more messages coming (the leader, once its
  // heartbeats are answered).
  const { target, count, msgs } = await stepUntilBusy(page, 2);
  const coming = msgs.filter((m) => m.to === target).sort((a, b) => a.at - b.at || a.id - b.id);
  await node(page, target).focus();
  await page.keyboard.press("Enter");
  const items = page.locator(".node-menu button.menu-msg");
  await expect(items).toHaveCount(Math.min(count, 6));
  // Soonest first, each named in words, each carrying its message's id.
  const listed = await items.evaluateAll((bs) => bs.map((b) => ({ id: Number(b.dataset.messageId), text: b.textContent })));
  expect(listed.map((b) => b.id)).toEqual(coming.slice(0, 6).map((m) => m.id));
  for (const b of listed) expect(b.text).toMatch(/^Drop .+ from node \d+, term \d+$/);
  // Drop the second one from the keyboard: it alone is gone.
  await items.nth(1).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".node-menu")).toBeHidden();
  await expect(node(page, target)).toBeFocused();
  const after = await page.evaluate(() => window.playground.state({ logLimit: 0, entryLimit: 0 }).messages.map((m) => m.id));
  expect(after).not.toContain(listed[1].id);
  expect(after).toEqual(msgs.map((m) => m.id).filter((id) => id !== listed[1].id));
  await expect(page.locator(".events li").first()).toContainText(`you dropped ${listed[1].text.slice("Drop ".length)} on its way to node ${target}`);
  expect(errors).toEqual([]);
});

test("touch: dragging a node with a finger partitions it too", async ({ browser }) => {
  const ctx = await browser.newContext({ hasTouch: true, viewport: { width: 800, height: 900 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await open(page, "&seed=25");
  await leader(page);
  const box = await node(page, 2).locator(".body").boundingBox();
  const svg = await page.locator(".rp-cluster svg").boundingBox();
  const cdp = await ctx.newCDPSession(page);
  const x0 = box.x + box.width / 2;
  const y0 = box.y + box.height / 2;
  const x1 = svg.x + svg.width - 15;
  const y1 = svg.y + 15;
  const touch = (type, x, y) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
  await touch("touchStart", x0, y0);
  for (let i = 1; i <= 10; i++) await touch("touchMove", x0 + ((x1 - x0) * i) / 10, y0 + ((y1 - y0) * i) / 10);
  await touch("touchEnd", x1, y1);
  await expect(page.locator(".group.minority")).toHaveCount(1);
  await expect.poll(async () => (await nodes(page)).filter((n) => n.group === (0).toString()).length).not.toBe(5);
  const groups = await nodes(page);
  const g2 = groups.find((n) => n.id === 2).group;
  expect(groups.filter((n) => n.group === g2).map((n) => n.id)).toEqual([2]);
  expect(errors).toEqual([]);
  await ctx.close();
});

test("the URL carries the setup: a link reproduces it and changes update it", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=4242&nodes=7&prevote=0");
  await expect(page.locator(".node[data-node-id]")).toHaveCount(7);
  await expect(page.getByLabel("Seed")).toHaveValue("4242");
  await expect(page.getByLabel("PreVote")).not.toBeChecked();
  await page.getByLabel("Cluster size").selectOption("3");
  await expect(page.locator(".node[data-node-id]")).toHaveCount(3);
  await expect.poll(() => new URL(page.url()).searchParams.get("nodes")).toBe("3");
  expect(new URL(page.url()).searchParams.get("seed")).toBe("4242");
  await page.getByLabel("Seed").fill("99");
  await page.getByLabel("Seed").press("Enter");
  await expect.poll(() => new URL(page.url()).searchParams.get("seed")).toBe("99");
  // The same seed gives the same first election, whatever the wall clock did.
  const firstLeader = async () =>
    page.evaluate(() => {
      const pg = window.playground;
      window.playgroundApp.pause();
      for (let t = 0; t < 5000 && pg.state().leader === null; t += 10) pg.advance(10);
      const s = pg.state();
      return [s.leader, s.nodes.find((n) => n.id === s.leader).term];
    });
  await page.getByRole("button", { name: "Reset" }).click();
  const a = await firstLeader();
  await page.getByRole("button", { name: "Reset" }).click();
  const b = await firstLeader();
  expect(b).toEqual(a);
  expect(errors).toEqual([]);
});

test("a link's settings the page cannot use are named on the page, and the next run clears the note", async ({ page }) => {
  const errors = watchErrors(page);
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await open(page);
  await expect(page.locator(".rp-notice")).toBeHidden();

  await open(page, "&seed=7&nodes=12&loss=2&faults=nonsense");
  const note = page.locator(".rp-notice");
  await expect(note).toBeVisible();
  await expect(note).toContainText("nodes=12 (a whole number from 3 to 9)");
  await expect(note).toContainText("loss=2 (from 0 to 0.5)");
  await expect(note).toContainText("fault nonsense (not a known fault)");
  // What could be used was: the seed; the rest fell back to the defaults.
  await expect(page.locator(".node[data-node-id]")).toHaveCount(5);
  await expect(page.getByLabel("Seed")).toHaveValue("7");
  expect(warnings.some((w) => w.includes("ignored nodes=12"))).toBe(true);
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(note).toBeHidden();
  expect(errors).toEqual([]);
});

test("on a phone the cluster view turns tall: larger nodes, groups stacked, drawn where the SVG is", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  // Errors the page reports only as "error" events (a ResizeObserver loop, for one).
  await page.addInitScript(() => {
    window.__errorEvents = [];
    addEventListener("error", (e) => window.__errorEvents.push(e.message));
  });
  await open(page, "&seed=13");
  const svg = page.locator(".rp-cluster svg");
  await expect(svg).toHaveAttribute("viewBox", "110 -110 500 720");
  // A node is drawn larger than the wide view would draw it in the same width.
  const sb = await svg.boundingBox();
  const nb = await node(page, 1).locator(".body").boundingBox();
  expect(nb.width).toBeGreaterThan(1.3 * (sb.width / 720) * 60);
  // Its term is drawn at least 10 CSS pixels tall: its font size, times the node's scale and
  // the view's.
  const termPx = () => node(page, 1).locator(".node-term").evaluate((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  expect(await termPx()).toBeGreaterThanOrEqual(10);
  const old = await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  // Dragged below the circle, the leader gets a group of its own, under the others'.
  await dragTo(page, old.id, { x: sb.x + sb.width / 2, y: sb.y + sb.height - 25 });
  await expect(page.locator(".group.minority")).toHaveCount(1);
  // The regions' labels grow with the nodes: "majority" or "minority" at least 9.5 px (8.8
  // at the wide view's size).
  const labelPx = await page.locator(".group.minority .region-label").evaluate((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  expect(labelPx).toBeGreaterThanOrEqual(9.5);
  const centreY = async (id) => {
    const b = await node(page, id).locator(".body").boundingBox();
    return b.y + b.height / 2;
  };
  const others = (await nodes(page)).filter((n) => n.id !== old.id);
  expect(new Set(others.map((n) => n.group)).size).toBe(1);
  await expect.poll(async () => (await centreY(old.id)) - Math.max(...(await Promise.all(others.map((n) => centreY(n.id)))))).toBeGreaterThan(60);
  // Messages are painted on the canvas where the SVG's links are: a message in flight lies
  // on the line between its two nodes as the SVG draws them.
  await page.getByRole("button", { name: "Play" }).click();
  await leader(page, { not: old.id, minTerm: old.term + 1 });
  await page.getByRole("button", { name: "Pause" }).click();
  // Paused between heartbeat rounds, nothing may be in flight: step to the next message.
  for (let k = 0; k < 50 && !(await findIsolatedMessage(page)); k++) await page.getByRole("button", { name: "Step", exact: true }).click();
  const m = await isolatedMessage(page);
  const centre = async (id) => {
    const b = await node(page, id).locator(".body").boundingBox();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const [a, b] = [await centre(m.from), await centre(m.to)];
  const offLine = Math.abs((b.x - a.x) * (m.at.y - a.y) - (b.y - a.y) * (m.at.x - a.x)) / Math.hypot(b.x - a.x, b.y - a.y);
  expect(offLine).toBeLessThan(8); // requests and replies keep a few units to their side
  expect(await paintedAt(page, m.at)).toBe(true);
  // Wider, the view turns back.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(svg).toHaveAttribute("viewBox", "0 0 720 500");
  await expect(node(page, 1)).not.toHaveAttribute("transform", /scale/);
  await page.waitForTimeout(100);
  expect(await page.evaluate(() => window.__errorEvents)).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
});

test("click a message in flight to drop it; sliders change the network", async ({ page }) => {
  const errors = watchErrors(page);
  // Slow enough that a message stays on screen to be clicked.
  await page.goto("/index.html?speed=0.05&seed=26");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  const msg = page.locator("[data-message-type]").first();
  await expect(msg).toBeAttached({ timeout: 20000 });
  await page.getByRole("button", { name: "Pause" }).click();
  // Messages are painted on a canvas laid over the SVG; the app says where each one is drawn.
  const { id, type, from, to, at } = await isolatedMessage(page);
  expect(await paintedAt(page, at)).toBe(true);
  await page.mouse.move(at.x, at.y);
  await expect(page.locator(".msg-tip")).toBeVisible();
  await expect(page.locator(".msg-tip")).toContainText(`${from}→${to}`);
  // It names the message's protocol fields: a vote request's last log entry, an append's
  // consistency check and commit index, an answer's match index.
  const m = await page.evaluate((id) => window.playground.state().messages.find((x) => x.id === Number(id)), id);
  const phrases = {
    lastLogIndex: (v) => `last log ${v} (term ${m.lastLogTerm})`,
    prevLogIndex: (v) => (m.type === "InstallSnapshot" ? `snapshot to ${v}` : `prev ${v} (term ${m.prevLogTerm})`),
    leaderCommit: (v) => `commit ${v}`,
    matchIndex: (v) => `match ${v}`,
  };
  for (const [field, phrase] of Object.entries(phrases)) {
    if (typeof m[field] === "number") await expect(page.locator(".msg-tip")).toContainText(phrase(m[field]));
  }
  await page.mouse.click(at.x, at.y);
  await expect(page.locator(`[data-message-id="${id}"]`)).toHaveCount(0);
  await expect(page.locator(".msg-tip")).toBeHidden();
  await expect(page.locator(".events li").first()).toContainText(new RegExp(`you dropped .+ from node ${from}, term \\d+ on its way to node ${to}`));
  expect(await page.evaluate((id) => window.playground.state().messages.some((m) => m.id === Number(id)), id)).toBe(false);

  await page.getByLabel("Message loss").fill("0.2");
  await page.getByLabel("Message loss").dispatchEvent("change");
  await page.getByLabel("Latency").fill("100");
  await page.getByLabel("Latency").dispatchEvent("change");
  const o = await page.evaluate(() => window.playground.options());
  expect(o.lossRatio).toBeCloseTo(0.2);
  expect(o.latencyMs).toEqual([50, 150]);
  await expect.poll(() => new URL(page.url()).searchParams.get("loss")).toBe("0.2");
  expect(errors).toEqual([]);
});

test("the painter draws each glyph where its message is, and cuts the nodes out over it", async ({ page }) => {
  await page.goto("/index.html?seed=1");
  // The painter on a canvas of the page's own, whose pixels can be read (the page's is a
  // worker's): two appends 100 units apart at 2 device pixels per unit, a node cut over the
  // second, at the scale the page would use and at another; and a third append 46 units
  // from the node's centre, outside its cut (38 units) but inside the cut of a node drawn
  // a quarter larger (the tall view's). Glyphs grow with the nodes.
  const r = await page.evaluate(async () => {
    const { painter } = await import("/www/render/painter.js");
    const { glyphParts, GLYPH_KINDS, HIT_R, COUNT_FONT, COUNT_FILL } = await import("/www/render/messages.js");
    const { GLYPHS } = await import("/www/palette.js");
    const parts = {};
    for (const k of GLYPH_KINDS) parts[k] = glyphParts(GLYPHS[k].svg);
    const canvas = document.createElement("canvas");
    const style = { countFont: COUNT_FONT, countFill: COUNT_FILL, hitR: HIT_R, crown: "M0 0", rimR: 38, ringR: 36 };
    const paint = painter({ canvas, kinds: GLYPH_KINDS, parts, style });
    const g = canvas.getContext("2d");
    const alpha = (x, y) => g.getImageData(x, y, 1, 1).data[3];
    const a = GLYPH_KINDS.indexOf("append");
    const out = [];
    for (const [ppu, k] of [[2, 1], [1.5, 1], [2, 1.25], [2, 1.5]]) {
      paint({
        pxW: 500, pxH: 200, t: [ppu, ppu, 0, 0], ppu, k,
        msgs: new Float32Array([a, 50, 50, 3, 0, a, 150, 50, 3, 0, a, 200, 50, 3, 0]), n: 3,
        cuts: [150, 50], crowns: [], rings: [], ringColors: [],
      });
      // The glyph is 18 x 14 units (k times that): opaque inside, clear just outside; 10.5
      // units right of its centre is outside at k = 1, inside at 1.5.
      const at = (x, y) => alpha(Math.round(x * ppu), Math.round(y * ppu));
      out.push({ ppu, k, inside: at(44, 46), outside: at(50 + 10.5 * k, 50), grown: at(60.5, 50), cut: at(144, 46), beside: at(196, 50) });
    }
    return out;
  });
  for (const x of r) {
    const grown = x.k === 1 ? 0 : x.k === 1.5 ? 255 : x.grown; // at 1.25 the edge runs through that pixel
    expect(x).toEqual({ ppu: x.ppu, k: x.k, inside: 255, outside: 0, grown, cut: 0, beside: x.k === 1 ? 255 : 0 });
  }
});

test("the message canvas fits the SVG at devicePixelRatio 2 and after a resize", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto("/index.html?speed=0.05&seed=26&nodes=7");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await expect(page.locator("[data-message-type]").first()).toBeAttached({ timeout: 20000 });
  await page.getByRole("button", { name: "Pause" }).click();
  // The canvas covers the SVG's box exactly, with a device pixel per backing pixel.
  const fit = () =>
    page.evaluate(() => {
      const svg = document.querySelector(".rp-cluster svg").getBoundingClientRect();
      const c = document.querySelector(".rp-cluster canvas");
      const r = c.getBoundingClientRect();
      return { dx: r.left - svg.left, dy: r.top - svg.top, dw: r.width - svg.width, dh: r.height - svg.height, px: c.width - r.width * devicePixelRatio, py: c.height - r.height * devicePixelRatio, w: r.width };
    });
  const close = (f) => {
    for (const k of ["dx", "dy", "dw", "dh"]) expect(Math.abs(f[k]), k).toBeLessThan(0.5);
    for (const k of ["px", "py"]) expect(Math.abs(f[k]), k).toBeLessThanOrEqual(1);
  };
  const before = await fit();
  close(before);
  let m = await isolatedMessage(page);
  expect(await paintedAt(page, m.at)).toBe(true);
  // Narrower: the canvas follows (a ResizeObserver), and messages are drawn where it says.
  await page.setViewportSize({ width: 700, height: 800 });
  await expect.poll(async () => (await fit()).w).toBeLessThan(before.w - 100);
  await expect.poll(async () => { const f = await fit(); return Math.abs(f.dw) < 0.5 && Math.abs(f.px) <= 1; }).toBe(true);
  close(await fit());
  m = await isolatedMessage(page);
  expect(await paintedAt(page, m.at)).toBe(true);
  await page.mouse.click(m.at.x, m.at.y);
  await expect(page.locator(`[data-message-id="${m.id}"]`)).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("the SVG export of the view shows the messages in flight and the timer rings", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/index.html?speed=0.05&seed=26");
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await expect(page.locator("[data-message-type]").first()).toBeAttached({ timeout: 20000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const r = await page.evaluate(async () => {
    const { svgOf } = await import("/www/share.js");
    const doc = new DOMParser().parseFromString(svgOf(window.playgroundApp.ui.svg), "image/svg+xml");
    const group = doc.querySelector('[data-ref="messages"]');
    const glyphs = [...group.querySelectorAll(".msg[data-message-id]")];
    const live = window.playground.state();
    return {
      hidden: group.getAttribute("display"),
      ids: glyphs.map((g) => Number(g.dataset.messageId)).sort((a, b) => a - b),
      drawn: glyphs.every((g) => /^translate\(/.test(g.getAttribute("transform")) && g.querySelector("circle, path, rect")),
      hooks: [...document.querySelectorAll(".rp-cluster .msg")].map((g) => Number(g.dataset.messageId)).sort((a, b) => a - b),
      rings: doc.querySelectorAll(".node .ring").length,
      timed: live.nodes.filter((n) => n.up && n.role !== "leader").length,
    };
  });
  expect(r.hidden).toBeNull();
  expect(r.ids.length).toBeGreaterThan(0);
  expect(r.ids).toEqual(r.hooks);
  expect(r.drawn).toBe(true);
  expect(r.rings).toBeGreaterThan(0);
  expect(r.rings).toBeLessThanOrEqual(r.timed);
  expect(errors).toEqual([]);
});

test("drag onto a group joins it; drag back onto the big group rejoins", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=27");
  await leader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  const svg = await page.locator(".rp-cluster svg").boundingBox();
  await dragTo(page, 1, { x: svg.x + svg.width - 25, y: svg.y + svg.height / 2 });
  await expect(page.locator(".group.minority")).toHaveCount(1);
  // Wait for the layout to settle, then drop node 3 on node 1's region.
  await page.waitForTimeout(600);
  const lone = await page.locator(".group.minority .region").boundingBox();
  await dragTo(page, 3, { x: lone.x + lone.width / 2, y: lone.y + lone.height / 2 });
  await expect(page.locator(".group.minority .region-label")).toContainText("2 of 5: minority");
  await expect.poll(async () => {
    const ns = await nodes(page);
    const g = (id) => ns.find((n) => n.id === id).group;
    return g(1) === g(3) && g(1) !== g(2) && g(2) === g(4) && g(4) === g(5);
  }).toBe(true);
  await page.waitForTimeout(600);
  const big = await page.locator(".group.majority .region").boundingBox();
  await dragTo(page, 3, { x: big.x + big.width / 2, y: big.y + big.height / 2 });
  await expect(page.locator(".group.majority .region-label")).toContainText("4 of 5: majority");
  expect(errors).toEqual([]);
});

test("a partitioned node's \"voted for\" line lies inside its region, clear of the region's label, in either view", async ({ page }) => {
  const errors = watchErrors(page);
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await open(page, "seed=3&nodes=6&speed=0.001");
    // Right after the first election every follower shows its vote; split the cluster then.
    await page.evaluate(() => {
      const pg = window.playground;
      while (pg.state().leader === null) pg.advance(10);
      pg.partition([[1, 2], [3, 4, 5, 6]]);
    });
    await expect(page.locator(".group")).toHaveCount(2);
    await page.waitForTimeout(800); // the nodes glide to their new places
    const r = await page.evaluate(() => {
      const box = (el) => el.getBoundingClientRect();
      const regions = [...document.querySelectorAll(".group")].map((g) => ({ shape: box(g.querySelector(".region")), label: box(g.querySelector(".region-label")) }));
      /** Whether the point lies inside the capsule drawn in `b` (1 px inside its edge). */
      const inside = (b, x, y) => {
        const rad = Math.min(b.width, b.height) / 2 - 1;
        const dx = Math.max(Math.abs(x - (b.left + b.width / 2)) - (b.width / 2 - 1 - rad), 0);
        const dy = Math.max(Math.abs(y - (b.top + b.height / 2)) - (b.height / 2 - 1 - rad), 0);
        return dx * dx + dy * dy <= rad * rad;
      };
      const votes = [...document.querySelectorAll(".node-vote")].filter((t) => t.textContent);
      return {
        votes: votes.length,
        bad: votes.flatMap((t) => {
          const v = box(t);
          const own = regions.filter((g) => inside(g.shape, v.left + v.width / 2, v.top));
          const out = own.length !== 1 || ![v.left, v.right].every((x) => inside(own[0].shape, x, v.bottom));
          const touches = regions.some((g) => v.bottom > g.label.top && v.top < g.label.bottom && v.right > g.label.left && v.left < g.label.right);
          return out || touches ? [`${t.closest("[data-node-id]").dataset.nodeId}: ${out ? "outside its region" : "on a region's label"}`] : [];
        }),
      };
    });
    expect(r.votes, `${size.width}px: followers showing their vote`).toBeGreaterThanOrEqual(3);
    expect(r.bad, `${size.width}px`).toEqual([]);
  }
  expect(errors).toEqual([]);
});

test("in an <iframe> of a blog post, the embed stops animating when scrolled out of view", async ({ page }) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.__rafCalls = 0;
    window.requestAnimationFrame = (cb) => {
      window.__rafCalls++;
      return raf(cb);
    };
  });
  // A mock post on the same origin: a paragraph, the embed, then a long text.
  await page.route("**/mock-post.html", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><p>Raft elects a leader:</p>
        <iframe id="pg" src="/index.html?embed=1&speed=1&seed=28" width="640" height="560" style="border:0"></iframe>
        <div style="height:3000px">More text.</div>`,
    }),
  );
  await page.goto("/mock-post.html");
  const frame = page.frameLocator("#pg");
  await expect(frame.locator(".rp.embed")).toHaveCount(1);
  await expect(frame.locator('.node[data-role="leader"]').first()).toBeAttached({ timeout: 15000 });
  const child = page.frames().find((f) => f.url().includes("embed=1"));
  const framesDuring = async (ms) => {
    const a = await child.evaluate(() => window.__rafCalls);
    await page.waitForTimeout(ms);
    return (await child.evaluate(() => window.__rafCalls)) - a;
  };
  expect(await framesDuring(300)).toBeGreaterThan(3);
  await page.evaluate(() => window.scrollTo(0, 2000));
  await page.waitForTimeout(200);
  expect(await framesDuring(500)).toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await framesDuring(300)).toBeGreaterThan(3);
  expect(errors).toEqual([]);
});

test("hand leadership to a node (TimeoutNow) and compact a log into a snapshot", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "&seed=29");
  const l = await leader(page);
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Client request" }).click();
  await expect(logRow(page, l.id).locator(".cell.committed", { hasText: /^C/ })).toHaveCount(1, { timeout: 10000 });
  const target = (await nodes(page)).find((n) => n.id !== l.id).id;
  await openMenu(page, target);
  await page.getByRole("menuitem", { name: "Hand leadership to this node" }).click();
  await expect(node(page, target)).toHaveAttribute("data-role", "leader", { timeout: 10000 });
  await expect(page.locator(".events")).toContainText(`transfers leadership to node ${target}`);
  // Its election is told as the leader's request, not as a timeout.
  await expect(page.locator(".events li.ev-election", { hasText: `node ${target} starts election for term` })).toContainText(
    `without waiting to time out: leader ${l.id} hands its leadership over (TimeoutNow)`,
  );

  await openMenu(page, target);
  await page.getByRole("menuitem", { name: "Compact its log into a snapshot" }).click();
  // Entries 1..4 (a no-op, A, B, C) now live in its snapshot; the others keep them as entries.
  await expect.poll(() => logRow(page, target).locator(".cell.snap").count()).toBeGreaterThanOrEqual(4);
  await expect(logRow(page, target).locator(".cell", { hasText: /^C/ })).toHaveCount(0);
  for (const n of await nodes(page)) {
    if (n.id !== target) await expect(logRow(page, n.id).locator(".cell.committed", { hasText: /^C/ })).toHaveCount(1);
  }
  expect(errors).toEqual([]);
});

test.describe("on a phone's screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("the page never scrolls sideways, and the controls and the whole cluster are on the first screen", async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, "&seed=3");
    // Narrow phones: nothing wider than the window (the tour picker's longest title was).
    for (const width of [320, 360, 375, 390, 412]) {
      await page.setViewportSize({ width, height: 800 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
    }
    // Common phones: the play button, the tour picker and the whole cluster SVG (the tall
    // view: see the test "on a phone the cluster view turns tall") need no scrolling.
    for (const [width, height] of [[375, 812], [390, 844], [412, 915]]) {
      await page.setViewportSize({ width, height });
      await expect(page.locator(".rp-cluster svg")).toHaveAttribute("viewBox", /^110 -110 /);
      for (const sel of [".rp-toolbar [data-ref=play]", ".guide-select", ".rp-cluster svg"]) {
        const box = await page.locator(sel).boundingBox();
        expect(box.y + box.height, `${sel} at ${width}x${height}`).toBeLessThanOrEqual(height);
      }
    }
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(errors).toEqual([]);
  });

  test("a node's menu longer than the cluster scrolls, and its last item can be reached and used", async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, "&seed=26&nodes=9");
    await leader(page);
    await page.getByRole("button", { name: "Pause" }).click();
    // Step until some node has several messages coming: the menu then lists them too.
    const { target } = await stepUntilBusy(page, 4);
    await node(page, target).focus();
    await page.keyboard.press("Enter");
    const menu = page.locator(".node-menu");
    const [menuBox, figBox] = [await menu.boundingBox(), await page.locator(".rp-cluster").boundingBox()];
    // Inside the figure (which clips), scrolling what does not fit.
    expect(menuBox.y).toBeGreaterThanOrEqual(figBox.y);
    expect(menuBox.y + menuBox.height).toBeLessThanOrEqual(figBox.y + figBox.height + 1);
    expect(await menu.evaluate((m) => m.scrollHeight > m.clientHeight)).toBe(true);
    // ArrowUp from the first item wraps to the last, which scrolls into view and is the
    // element at its own centre (not clipped or covered).
    await page.keyboard.press("ArrowUp");
    const last = page.locator(".node-menu button").last();
    await expect(last).toBeFocused();
    expect(await last.evaluate((b) => {
      const r = b.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === b;
    })).toBe(true);
    const id = Number(await last.getAttribute("data-message-id"));
    await page.keyboard.press("Enter");
    expect(await page.evaluate((id) => window.playground.state().messages.some((m) => m.id === id), id)).toBe(false);
    expect(errors).toEqual([]);
  });
});
