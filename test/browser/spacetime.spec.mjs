// Browser tests of the space-time diagram (www/render/spacetime.js, spacetime-view.js): it shows the
// messages the cluster view shows, every message sent in its window, drops marked
// with an X, hover highlights in both views, and its history stays bounded.
// Screenshots go to artifacts/.
import { test, expect } from "@playwright/test";
import fs from "node:fs";

function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

async function open(page, query) {
  await page.goto(`/index.html?${query}`);
  await expect(page.locator("html[data-ready=true]")).toHaveCount(1);
  await page.getByRole("button", { name: "Space-time" }).click();
  await expect(page.locator(".rp-spacetime")).toBeVisible();
  await expect(page.locator(".rp-spacetime .st-svg")).toBeAttached(); // loaded on first show
}

async function waitLeader(page) {
  await expect(page.locator('.rp-cluster .node[data-role="leader"][data-up="true"]')).toHaveCount(1, { timeout: 15000 });
}

/** Message ids (and types, fates) in both views, read in one go so they come from the same frame. */
function bothViews(page) {
  return page.evaluate(() => {
    const read = (sel) =>
      [...document.querySelectorAll(sel)].map((g) => ({ id: Number(g.dataset.messageId), type: g.dataset.messageType, fate: g.dataset.fate ?? null }));
    return { cluster: read(".rp-cluster .msg[data-message-id]"), diagram: read(".rp-spacetime .st-msg[data-message-id]") };
  });
}

async function saveArtifact(testInfo, page, name) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path });
  fs.mkdirSync("artifacts", { recursive: true });
  fs.copyFileSync(path, `artifacts/${name}`);
}

test("the diagram shows every message the cluster view shows", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=31&speed=0.2");
  let sampled = 0;
  let seenMessages = 0;
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(250);
    if (i === 6) await page.evaluate(() => window.playground.propose("x")).catch(() => {}); // entries too, if a leader exists
    const { cluster, diagram } = await bothViews(page);
    const drawn = new Map(diagram.map((d) => [d.id, d]));
    for (const c of cluster) {
      expect(drawn.has(c.id), `message ${c.id} (${c.type}) is in the cluster view but not in the diagram`).toBe(true);
      expect(drawn.get(c.id).type).toBe(c.type);
      expect(drawn.get(c.id).fate).toBe("flying");
    }
    sampled++;
    seenMessages += cluster.length;
  }
  expect(sampled).toBe(12);
  expect(seenMessages).toBeGreaterThan(10); // the check above was not vacuous
  // And paused, after single steps, the two views still agree.
  await page.getByRole("button", { name: "Pause" }).click();
  for (let i = 0; i < 5; i++) {
    await page.getByRole("button", { name: "Step" }).click();
    const { cluster, diagram } = await bothViews(page);
    const ids = new Set(diagram.map((d) => d.id));
    for (const c of cluster) expect(ids.has(c.id)).toBe(true);
  }
  expect(errors).toEqual([]);
});

test("every message sent in the window is drawn, time flowing down", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await open(page, "seed=32&speed=0.1");
  await waitLeader(page);
  await page.getByRole("button", { name: "Client request" }).click();
  await page.waitForTimeout(1500);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.waitForTimeout(100);
  const r = await page.evaluate(() => {
    const app = window.playgroundApp;
    const pg = window.playground;
    const now = pg.state().timeMs;
    const span = app.spacetime.view.spanMs;
    const sends = pg.events(0).filter((e) => e.kind === "send" && e.timeMs >= now - span + 5 && e.timeMs <= now);
    const drawn = new Map([...document.querySelectorAll(".st-msg")].map((g) => [Number(g.dataset.messageId), g]));
    const missing = sends.filter((e) => !drawn.has(e.messageId)).map((e) => e.text);
    const backwards = [];
    for (const g of drawn.values()) {
      if (g.dataset.fate !== "delivered") continue;
      const l = g.querySelector(".st-line");
      if (Number(l.getAttribute("y2")) < Number(l.getAttribute("y1"))) backwards.push(g.dataset.messageId);
    }
    const types = new Set([...drawn.values()].map((g) => g.dataset.messageType));
    return { sends: sends.length, missing, backwards, delivered: [...drawn.values()].filter((g) => g.dataset.fate === "delivered").length, types: [...types] };
  });
  expect(r.sends).toBeGreaterThan(5);
  expect(r.missing).toEqual([]);
  expect(r.delivered).toBeGreaterThan(5);
  expect(r.backwards).toEqual([]);
  expect(r.types).toContain("AppendEntries");
  expect(r.types).toContain("AppendEntriesResponse");
  // Arrows are coloured like the glyphs in the cluster view (palette.js).
  const colors = await page.evaluate(() => {
    const one = (sel) => document.querySelector(sel)?.getAttribute("stroke") ?? null;
    return { heartbeat: one(".st-heartbeat .st-line"), append: one(".st-append .st-line") };
  });
  expect(colors.heartbeat ?? colors.append).toBe("#2f6fd0");
  await saveArtifact(testInfo, page, "spacetime.png");
  expect(errors).toEqual([]);
});

test("dropped messages end in an X: a partition, and a message the user drops", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await open(page, "seed=33&speed=0.1");
  await waitLeader(page);
  const leader = Number(await page.locator('.rp-cluster .node[data-role="leader"]').getAttribute("data-node-id"));
  // Cut the leader off; its heartbeats are lost from now on.
  await page.evaluate((l) => {
    const others = window.playground.state().nodes.map((n) => n.id).filter((id) => id !== l);
    window.playground.partition([[l], others]);
  }, leader);
  await expect(page.locator('.st-msg[data-fate="dropped"] .st-x').first()).toBeAttached({ timeout: 10000 });
  const dropped = await page.locator('.st-msg[data-fate="dropped"]').evaluateAll((els) => els.map((g) => Number(g.dataset.messageId)));
  const reasons = await page.evaluate((ids) => window.playground.events(0).filter((e) => e.kind === "drop" && ids.includes(e.messageId)).map((e) => e.reason), dropped);
  expect(reasons.length).toBe(dropped.length); // every X is a drop in the trace
  expect(reasons).toContain("partitioned");
  await page.waitForTimeout(1200);
  await saveArtifact(testInfo, page, "spacetime-partition.png");

  // Click a message in flight in the cluster view: it is dropped, and the diagram says so.
  await page.evaluate(() => window.playground.heal());
  await page.getByRole("button", { name: "Pause" }).click();
  let target = null;
  await expect
    .poll(async () => {
      await page.getByRole("button", { name: "Step" }).click();
      target = await page.locator(".rp-cluster .msg").first().getAttribute("data-message-id", { timeout: 200 }).catch(() => null);
      return target;
    })
    .not.toBeNull();
  await expect(page.locator(`.st-msg[data-message-id="${target}"]`)).toHaveAttribute("data-fate", "flying");
  // Click where the cluster view draws it (on its canvas).
  const at = await page.evaluate((id) => window.playgroundApp.messagePoint(id), target);
  expect(at).not.toBeNull();
  await page.mouse.click(at.x, at.y);
  await expect(page.locator(`.st-msg[data-message-id="${target}"]`)).toHaveAttribute("data-fate", "dropped");
  await expect(page.locator(`.st-msg[data-message-id="${target}"] .st-x`)).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("hovering a message highlights it in both views", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=34&speed=0.1");
  await waitLeader(page);
  await page.getByRole("button", { name: "Pause" }).click();
  // Step until at least two messages are in flight, and one of them is drawn clear of the
  // nodes (one at a node's rim may lie under its ring, and a node takes the pointer) and
  // of other messages (two sent on the same link at once are drawn as one; the pointer
  // picks either).
  const clearMessage = () =>
    page.evaluate(() => {
      const ids = [...document.querySelectorAll(".rp-cluster .msg")].map((g) => g.dataset.messageId);
      if (ids.length < 2) return null;
      const points = ids.map((id) => window.playgroundApp.messagePoint(id));
      const clear = (p) => !document.elementFromPoint(p.x, p.y)?.closest(".node");
      const far = (p, i) => points.every((q, j) => j === i || !q || Math.hypot(p.x - q.x, p.y - q.y) > 20);
      const k = points.findIndex((p, i) => p && clear(p) && far(p, i));
      return k < 0 ? null : { first: ids[k], at: points[k] };
    });
  let found = null;
  await expect
    .poll(async () => {
      await page.getByRole("button", { name: "Step" }).click();
      return (found = await clearMessage());
    })
    .not.toBeNull();

  // Cluster -> diagram: put the mouse where the cluster view draws that message.
  const { first, at } = found;
  await page.mouse.move(at.x, at.y);
  await expect(page.locator(`.st-msg[data-message-id="${first}"]`)).toHaveClass(/\bhl\b/);
  await expect(page.locator(`.rp-cluster .msg[data-message-id="${first}"]`)).toHaveClass(/\bhl\b/);
  await expect(page.locator(".st-svg")).toHaveClass(/\bhas-hl\b/);
  await expect(page.locator(".st-info")).toContainText(`#${first} `);
  await expect(page.locator(".st-msg.hl")).toHaveCount(1);

  // Diagram -> cluster: find a point (whole pixels) where another in-flight message's arrow
  // is the topmost thing, and put the mouse there.
  const findSpot = () => page.evaluate((skip) => {
    const ids = [...document.querySelectorAll(".rp-cluster .msg")].map((g) => g.dataset.messageId).filter((id) => id !== skip);
    for (const id of ids) {
      const line = document.querySelector(`.st-msg[data-message-id="${id}"] .st-line`);
      if (!line) continue;
      const [x1, y1, x2, y2] = ["x1", "y1", "x2", "y2"].map((a) => Number(line.getAttribute(a)));
      for (const f of [0.5, 0.7, 0.3, 0.85, 0.15]) {
        const pt = line.ownerSVGElement.createSVGPoint();
        pt.x = x1 + f * (x2 - x1);
        pt.y = y1 + f * (y2 - y1);
        const sp = pt.matrixTransform(line.getScreenCTM());
        const x = Math.round(sp.x);
        const y = Math.round(sp.y);
        if (document.elementFromPoint(x, y)?.closest(".st-msg")?.dataset.messageId === id) return { id, x, y };
      }
    }
    return null;
  }, first);
  // A message just sent has an arrow too short to point at: step on until one has grown.
  await page.locator(".rp-spacetime .st-plot").scrollIntoViewIfNeeded();
  let spot = await findSpot();
  for (let i = 0; i < 40 && !spot; i++) {
    await page.getByRole("button", { name: "Step" }).click();
    if ((await page.locator(`.rp-cluster .msg[data-message-id="${first}"]`).count()) === 0) break;
    spot = await findSpot();
  }
  expect(spot).not.toBeNull(); // some arrow in flight is not hidden under others
  await page.mouse.move(spot.x, spot.y);
  await expect(page.locator(".st-msg.hl")).toHaveCount(1);
  await expect(page.locator(".st-msg.hl")).toHaveAttribute("data-message-id", spot.id);
  await expect(page.locator(`.rp-cluster .msg[data-message-id="${spot.id}"]`)).toHaveClass(/\bhl\b/);
  await expect(page.locator(`.rp-cluster .msg[data-message-id="${first}"]`)).not.toHaveClass(/\bhl\b/);
  await expect(page.locator(".st-info")).toContainText(`#${spot.id} `);

  // Leaving clears both.
  await page.mouse.move(5, 5);
  await expect(page.locator(".st-msg.hl")).toHaveCount(0);
  await expect(page.locator(".rp-cluster .msg.hl")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the history is bounded, a reset clears it, and a hidden diagram does no work", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=35&speed=0.1");
  await page.getByRole("button", { name: "Pause" }).click();
  // Two minutes of simulated time, drawn every 200 ms of it.
  for (let i = 0; i < 60; i++) {
    await page.evaluate(() => {
      for (let j = 0; j < 10; j++) window.playground.advance(200);
    });
  }
  const r = await page.evaluate(async () => {
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const { HISTORY_MESSAGES_MAX } = await import("/www/msghistory.js");
    return { kept: window.playgroundApp.spacetime.view.history.messages.size, max: HISTORY_MESSAGES_MAX, drawn: document.querySelectorAll(".st-msg").length, sent: window.playground.events(0).filter((e) => e.kind === "send").length };
  });
  expect(r.kept).toBeLessThanOrEqual(r.max);
  expect(r.kept).toBeGreaterThan(100);
  expect(r.drawn).toBeGreaterThan(5);
  expect(r.drawn).toBeLessThan(400); // only the window is in the DOM

  await page.getByRole("button", { name: "Reset" }).click();
  await expect.poll(() => page.evaluate(() => window.playgroundApp.spacetime.view.history.messages.size)).toBeLessThan(50);

  // Hidden: the diagram stops reading the trace.
  await page.getByRole("button", { name: "Space-time" }).click();
  await expect(page.locator(".rp-spacetime")).toBeHidden();
  const seq0 = await page.evaluate(() => window.playgroundApp.spacetime.view.history.seq);
  await page.evaluate(() => window.playground.advance(2000));
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.playgroundApp.spacetime.view.history.seq)).toBe(seq0);
  // Shown again, it catches up from the trace.
  await page.getByRole("button", { name: "Space-time" }).click();
  await expect.poll(() => page.evaluate(() => window.playgroundApp.spacetime.view.history.seq)).toBeGreaterThan(seq0);
  await expect(page.locator(".st-msg").first()).toBeAttached();
  expect(errors).toEqual([]);
});

test("role labels do not cover one another, even in a narrow diagram", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const overlaps = () =>
    page.evaluate(() => {
      const boxes = [...document.querySelectorAll(".rp-spacetime .st-role-label")]
        .filter((t) => t.textContent && t.style.display !== "none")
        .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      const out = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i].r, boxes[j].r];
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(`${boxes[i].text} / ${boxes[j].text}`);
        }
      return { out };
    });
  const shown = (word) =>
    page.evaluate((word) => [...document.querySelectorAll(".rp-spacetime .st-role-label")].filter((t) => t.textContent.startsWith(word) && t.style.display !== "none").length, word);
  for (const seed of [1, 2, 3, 4]) {
    // Slow enough that the election is still in the window when the diagram, which
    // redraws on the panels' frames (every 500 ms of wall time), has drawn its labels.
    await open(page, `seed=${seed}&nodes=3&speed=0.2`);
    await waitLeader(page);
    await expect.poll(() => shown("leader t")).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Pause" }).click();
    expect(await shown("candidate t")).toBeGreaterThan(0);
    const r = await overlaps();
    expect(r.out, `seed ${seed}`).toEqual([]);
  }
  expect(errors).toEqual([]);
  await ctx.close();
});
