// Browser tests of the side panels that redraw while a cluster runs: the log panel (cells
// anchored to indexes, page turns, next/match marks, tooltips
// on hover), the event log (batched, bounded, newest first) and the timeline (tracks the
// run's time although it redraws only a few times a second).
import { test, expect } from "@playwright/test";
import { watchErrors, open } from "./util.mjs";
import { termColor } from "../../www/palette.js";

// Tall enough that the log panel is in view: out of view, the page does not redraw it
// (the test "the log panel is not redrawn out of view" in panels.spec.mjs).
test.use({ viewport: { width: 1280, height: 1240 } });

/**
 * Compares every row of the log panel with the playground's state: for each cell in the
 * window, its index, kind (committed / pending / snap / empty), command and term, from the
 * row's hooks, and the colour painted on the row's canvas inside the cell (the term's when
 * committed, white when pending); the index header; and where the leader's next/match marks
 * sit. Returns a list of mismatches.
 */
async function panelMismatches(page) {
  const { bad, paints } = await page.evaluate(() => {
    const s = window.playground.state();
    const bad = [];
    const paints = [];
    const head = [...document.querySelectorAll(".log-head .idx")].map((c) => Number(c.textContent));
    const leader = s.nodes.find((n) => n.id === s.leader);
    for (const n of s.nodes) {
      const row = document.querySelector(`.log-row[data-log-node="${n.id}"]`);
      if (!row) {
        bad.push(`no row for node ${n.id}`);
        continue;
      }
      const cells = [...row.querySelectorAll(".cell")];
      if (cells.length !== head.length) bad.push(`node ${n.id}: ${cells.length} cells, ${head.length} header columns`);
      const canvas = row.querySelector("canvas.log-cells");
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const pitch = parseFloat(getComputedStyle(row.parentElement).getPropertyValue("--log-pitch"));
      // The colour 4 px in from the cell's left edge and 4 px up from its bottom: clear of
      // the border, the command and the term.
      const painted = (k) => {
        const at = (Math.round((24 * scale)) * pixels.width + Math.round((k * pitch + 4) * scale)) * 4;
        return `#${[0, 1, 2].map((i) => pixels.data[at + i].toString(16).padStart(2, "0")).join("")}`;
      };
      const first = n.log.length ? n.log[0].index : n.commitIndex + 1;
      cells.forEach((c, k) => {
        const idx = Number(c.dataset.index);
        if (idx !== head[k]) bad.push(`node ${n.id} column ${k}: index ${idx} under header ${head[k]}`);
        const e = idx >= first ? n.log[idx - first] : undefined;
        const kind = e ? (idx <= n.commitIndex ? "committed" : "pending") : idx <= (n.snapshotIndex ?? first - 1) ? "snap" : "empty";
        if (!c.classList.contains(kind)) bad.push(`node ${n.id} index ${idx}: "${c.className}", want ${kind}`);
        paints.push({ where: `node ${n.id} index ${idx}`, kind, term: e?.term, painted: painted(k) });
        if (e) {
          const cmd = c.firstChild.textContent;
          const want = e.command ?? "";
          const ok = want === "" ? cmd === "·" : cmd === want || (cmd.endsWith("…") && want.startsWith(cmd.slice(0, -1)));
          if (!ok) bad.push(`node ${n.id} index ${idx}: shows "${cmd}" for "${want}"`);
          if (c.lastChild.textContent !== String(e.term)) bad.push(`node ${n.id} index ${idx}: term "${c.lastChild.textContent}", want ${e.term}`);
        }
      });
      // The leader's view of a follower: the marks sit under nextIndex and matchIndex.
      const follower = leader && n.id !== leader.id && n.nextIndex !== undefined;
      for (const [cls, at] of [["mark-next", n.nextIndex], ["mark-match", n.matchIndex]]) {
        const m = row.querySelector(`.${cls}`);
        const k = follower ? head.indexOf(at) : -1;
        if (k < 0) {
          if (!m.hidden) bad.push(`node ${n.id}: ${cls} shown, want hidden`);
        } else if (m.hidden || Number(m.style.getPropertyValue("--k")) !== k) {
          bad.push(`node ${n.id}: ${cls} at column ${m.hidden ? "hidden" : m.style.getPropertyValue("--k")}, want ${k}`);
        }
      }
    }
    return { bad, paints };
  });
  for (const p of paints) {
    const want = { committed: p.term && termColor(p.term), pending: "#ffffff", snap: "#eceff3", empty: "#f6f7f9" }[p.kind];
    if (p.painted !== want) bad.push(`${p.where}: painted ${p.painted}, want ${want} (${p.kind})`);
  }
  return bad;
}

test("the log panel shows the right cells after many entries and several page turns", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=5&nodes=7&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  // Requests while the cluster runs (the panel redraws twice a second), long enough for the
  // window to turn its page a few times.
  const cols = await page.locator(".log-head .idx").count();
  const n = 2 * cols + 7;
  await page.evaluate(
    (n) =>
      new Promise((done) => {
        let k = 0;
        const timer = setInterval(() => {
          try {
            window.playground.propose(k % 3 ? `c${k}` : `long-${k}`);
          } catch {}
          if (++k === n) {
            clearInterval(timer);
            done();
          }
        }, 40);
      }),
    n,
  );
  const firstShown = await page.locator(".log-head .idx").first().textContent();
  expect(Number(firstShown)).toBeGreaterThan(cols / 2);
  // Running: the panel catches up within a few frames of the last state it was given.
  await page.waitForTimeout(600);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect.poll(() => panelMismatches(page), { timeout: 5000 }).toEqual([]);
  // A partition leaves some entries uncommitted (dashed) on the leader's side.
  await page.evaluate(() => {
    const s = window.playground.state();
    const rest = s.nodes.map((x) => x.id).filter((id) => id !== s.leader);
    window.playground.partition([[s.leader], rest]);
    window.playground.propose("lost", s.leader);
    window.playground.advance(50);
  });
  await expect.poll(() => panelMismatches(page), { timeout: 5000 }).toEqual([]);
  await expect(page.locator(".cell.pending").first()).toBeAttached();
  expect(errors).toEqual([]);
});

test("a log cell's tooltip is written when the pointer reaches it", async ({ page }) => {
  await open(page, "seed=6&nodes=5&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  await page.evaluate(() => window.playground.propose("hello-world"));
  const cell = page.locator(".log-row .cell.committed").filter({ has: page.locator(".cmd", { hasText: /^he…$/ }) }).first();
  await expect(cell).toBeAttached({ timeout: 10000 });
  // Paused, so that no redraw turns the panel's page between finding the cell and hovering it.
  await page.getByRole("button", { name: "Pause" }).click();
  const { id, k } = await cell.evaluate((c) => ({ id: c.closest(".log-row").dataset.logNode, k: [...c.parentElement.children].indexOf(c) }));
  const canvas = page.locator(`.log-row[data-log-node="${id}"] canvas.log-cells`);
  expect(await canvas.getAttribute("title")).toBeNull();
  await canvas.hover({ position: { x: k * 30 + 14, y: 14 } });
  await expect(canvas).toHaveAttribute("title", /^index \d+, term \d+, committed: hello-world$/);
  // Between two cells there is none; on the next one, empty, there is none either.
  await canvas.hover({ position: { x: k * 30 + 29, y: 14 } });
  await expect(canvas).not.toHaveAttribute("title");
  await canvas.hover({ position: { x: (k + 1) * 30 + 14, y: 14 } });
  await expect(canvas).not.toHaveAttribute("title");
  // A redraw that fills the cell under the pointer writes its tooltip.
  await page.evaluate(() => {
    window.playground.propose("zz-top");
    window.playground.advance(300);
  });
  await expect(canvas).toHaveAttribute("title", /^index \d+, term \d+, committed: zz-top$/);
});

test("the event log opens with what the first moments show, in the cluster's own numbers", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=7&nodes=4&speed=0.05");
  const first = page.locator(".events li").last(); // newest first: the opening line is last
  await expect(first).toHaveText(/^0\.000 s 4 nodes start as followers in term 0\. Each waits a random 150-300 ms /);
  // A new cluster says it again, once, with its own size.
  await page.evaluate(() => window.playgroundApp.reset({ nodes: 6 }));
  await expect(page.locator(".events li")).toHaveText([/^0\.000 s 6 nodes start as followers in term 0\. Each waits a random 150-300 ms /]);
  expect(errors).toEqual([]);
});

test("the event log counts a line said again at once instead of repeating it", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=7&nodes=5&speed=0.05");
  await page.getByRole("button", { name: "Pause" }).click();
  const request = page.getByRole("button", { name: "Client request" });
  for (let k = 0; k < 3; k++) await request.click();
  const refusals = page.locator(".events li", { hasText: "no leader" });
  await expect(refusals).toHaveCount(1);
  await expect(refusals).toHaveText(/^0\.\d{3} s no leader: .* \(×3\)$/);
  // With another line in between, it is a new line.
  await page.getByRole("button", { name: "Step" }).click();
  await request.click();
  await expect(refusals).toHaveCount(2);
  await expect(refusals.first()).not.toContainText("×");
  expect(errors).toEqual([]);
});

test("the event log batches while running, stays bounded and lists the newest first", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=7&nodes=5&speed=1");
  await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
  // Count how often the live region changes while requests commit.
  await page.evaluate(() => {
    window.__changes = 0;
    new MutationObserver(() => window.__changes++).observe(document.querySelector(".events"), { childList: true });
  });
  // A request every 10 ms for 2.5 s of wall time, sent from inside the page.
  const wallMs = await page.evaluate(
    () =>
      new Promise((done) => {
        let k = 0;
        const t0 = performance.now();
        const timer = setInterval(() => {
          try {
            window.playground.propose(`e${k++}`);
          } catch {}
          if (performance.now() - t0 > 2500) {
            clearInterval(timer);
            done(performance.now() - t0);
          }
        }, 10);
      }),
  );
  const changes = await page.evaluate(() => window.__changes);
  // At most one batch per panel period (500 ms), however many events came in.
  expect(changes).toBeLessThanOrEqual(Math.ceil(wallMs / 500) + 2);
  await page.getByRole("button", { name: "Pause" }).click();
  // Paused, many more events at once: the list keeps the newest 120.
  for (let round = 0; round < 10; round++) {
    await page.evaluate((r) => {
      for (let k = 0; k < 20; k++) {
        window.playground.propose(`p${r}-${k}`);
        window.playground.advance(5);
      }
    }, round);
    await page.waitForTimeout(50);
  }
  await expect(page.locator(".events li")).toHaveCount(120);
  // The newest append told is one of the last round's (the newest line may also be a commit,
  // or a follower refusing an append that overtook an earlier one on the way).
  await expect(page.locator(".events li", { hasText: "appended" }).first()).toContainText(/appended "p9-\d+"/);
  const times = await page.locator(".events li time").allTextContents();
  const secs = times.map((t) => parseFloat(t));
  for (let i = 1; i < secs.length; i++) expect(secs[i]).toBeLessThanOrEqual(secs[i - 1]);
  // Paused, an event shows at once: a step.
  await page.getByRole("button", { name: "Step" }).click();
  await expect(page.locator(".events li").first()).toContainText("step");
  expect(errors).toEqual([]);
});

test("the timeline tracks the run's time and shows the exact moment once paused", async ({ page }) => {
  await open(page, "seed=8&nodes=5&speed=1");
  const shown = () => page.locator(".tl-time").textContent();
  const t1 = await shown();
  await page.waitForTimeout(700);
  const t2 = await shown();
  expect(parseFloat(t2)).toBeGreaterThan(parseFloat(t1));
  await page.getByRole("button", { name: "Pause" }).click();
  // The last advance before the pause is shown, a moment later.
  await expect
    .poll(async () => {
      const us = await page.evaluate(() => window.playgroundTeach.recorded.timeUs);
      return (await shown()) === `${(us / 1e6).toFixed(3)} s of ${(us / 1e6).toFixed(3)} s`;
    })
    .toBe(true);
  const slider = page.locator(".tl-range");
  const ms = await page.evaluate(() => Math.round(window.playgroundTeach.recorded.timeUs / 1000));
  await expect(slider).toHaveAttribute("max", String(ms));
  expect(await slider.inputValue()).toBe(String(ms));
  // A request while running adds a mark on the timeline (painted on a canvas, which counts
  // its marks in data-count).
  const marks = page.locator(".tl-marks");
  await page.getByRole("button", { name: "Play" }).click();
  const before = Number(await marks.getAttribute("data-count"));
  await page.getByRole("button", { name: "Client request" }).click();
  await expect(marks).toHaveAttribute("data-count", String(before + 1));
  // Paused, a request's mark is painted at once, at its time over the run's length.
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Client request" }).click();
  await expect(marks).toHaveAttribute("data-count", String(before + 2));
  const painted = await page.evaluate(() => {
    const rec = window.playgroundTeach.recorded;
    const c = document.querySelector(".tl-marks");
    const x = Math.round((rec.actions[rec.actions.length - 1].us / rec.endTimeUs) * c.width);
    const row = c.getContext("2d").getImageData(0, Math.floor(c.height / 2), c.width, 1).data;
    const at = (i) => (i >= 0 && i < c.width ? [row[4 * i], row[4 * i + 1], row[4 * i + 2], row[4 * i + 3]] : [0, 0, 0, 0]);
    // The mark's colour (#d9822b) within 2 pixels of where it belongs; nothing at the
    // start of the run, where no action was.
    const orange = ([r, g, b, a]) => a > 200 && Math.abs(r - 0xd9) < 8 && Math.abs(g - 0x82) < 8 && Math.abs(b - 0x2b) < 8;
    return { near: [-2, -1, 0, 1, 2].some((d) => orange(at(x + d))), start: at(0)[3] };
  });
  expect(painted).toEqual({ near: true, start: 0 });
});

test("at the slowest speeds the timeline keeps up with the run, though most frames advance nothing", async ({ page }) => {
  for (const speed of [0.001, 0.01]) {
    await open(page, `seed=8&nodes=5&speed=${speed}`);
    // 3 s of wall time is 3 ms (or 30 ms) of simulated time, or somewhat less on a busy
    // machine (a frame counts at most 50 ms of wall time: loop.js).
    await page.waitForTimeout(3000);
    await expect.poll(() => page.evaluate(() => window.playground.state().timeMs), { timeout: 10_000 }).toBeGreaterThan(2);
    const [shownMs, nowMs] = await page.evaluate(() => [parseFloat(document.querySelector(".tl-time").textContent) * 1000, window.playground.state().timeMs]);
    // The timeline is at most one panel redraw (500 ms of wall time) behind.
    expect(nowMs - shownMs).toBeLessThanOrEqual(speed * 1000 + 1);
  }
});

test("while running, the panels redraw together: the DOM changes on a few frames a second, not every frame", async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, "seed=3&nodes=9&speed=1");
  await page.waitForFunction(() => window.playground.state().leader !== null, null, { timeout: 30_000 });
  // The page's default speed: fewer than one simulated ms per frame, so some frames
  // advance nothing (a panel frame among them must still bring the timeline along).
  await page.evaluate(() => window.playgroundApp.setSpeed(0.025));
  // Steady client load, as in the frame-cost bench.
  await page.evaluate(() => {
    window.__load = setInterval(() => {
      try {
        window.playground.propose(`c${Date.now() % 1000}`);
      } catch {}
    }, 250);
  });
  await page.waitForTimeout(500);
  const { frames, changed, svgChildren, seconds } = await page.evaluate(async () => {
    // Numbers frames with a rAF loop of its own; a mutation belongs to the frame counted last.
    let frame = 0;
    let on = true;
    const tick = () => {
      frame++;
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const hooks = document.querySelector('[data-ref="msgHooks"]');
    const changedFrames = new Set();
    let svgChildren = 0;
    const mo = new MutationObserver((records) => {
      for (const r of records) {
        if (hooks.contains(r.target)) continue; // the message hooks: not rendered
        changedFrames.add(frame);
        if (r.type === "childList" && r.target.closest?.(".rp-cluster svg")) svgChildren++;
      }
    });
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    mo.disconnect();
    on = false;
    clearInterval(window.__load);
    return { frames: frame, changed: changedFrames.size, svgChildren, seconds: (performance.now() - t0) / 1000 };
  });
  // Messages come and go on most frames; only their canvas and the (unrendered) hooks change.
  // The log panel, event log, timeline and status line change together, twice a second; a
  // request's timer task may change the event log in between. Drawn on frames of their own
  // (the timeline a frame or two after the log panel) they would double this. The frames
  // counted must be several times that bound for it to say anything: some 180 on an idle
  // machine, as few as 50 with a second browser running tests beside this one.
  expect(frames).toBeGreaterThan(30);
  expect(changed).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 2);
  // Nor is any element added to or removed from the cluster's SVG (that would lay it out
  // and repaint it): messages in flight are painted on the canvas.
  expect(svgChildren).toBe(0);
  expect(errors).toEqual([]);
});

test.describe("at 1280x800, the log panel below the fold", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("is not redrawn while out of view, and is redrawn at once when scrolled into view", async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, "speed=1&seed=3");
    await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
    const logsTop = async () => (await page.locator(".rp-logs").boundingBox()).y;
    expect(await logsTop()).toBeGreaterThan(800);
    await page.evaluate(() => {
      window.__logMutations = 0;
      new MutationObserver((ms) => (window.__logMutations += ms.length)).observe(document.querySelector(".logs"), {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    // A request commits everywhere (the API says so) while the panel stays as it was.
    await page.getByRole("button", { name: "Client request" }).click();
    await expect
      .poll(() => page.evaluate(() => window.playground.state().nodes.every((n) => n.log.some((e) => e.command === "A") && n.commitIndex >= n.log.find((e) => e.command === "A").index)), {
        timeout: 10000,
      })
      .toBe(true);
    await page.waitForTimeout(700); // longer than the panels' period
    expect(await page.evaluate(() => window.__logMutations)).toBe(0);
    expect(await page.locator(".log-row .cell", { hasText: /^A/ }).count()).toBe(0);
    // In view, it shows the committed entry on every row within a frame or two.
    const t0 = Date.now();
    await page.locator(".rp-logs").scrollIntoViewIfNeeded();
    await expect(page.locator(".log-row .cell.committed", { hasText: /^A/ })).toHaveCount(5, { timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await page.evaluate(() => window.__logMutations)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test("is drawn out of view before the page is printed, and once paused", async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, "speed=1&seed=3");
    await expect(page.locator('.node[data-role="leader"]')).toHaveCount(1, { timeout: 15000 });
    const logsTop = async () => (await page.locator(".rp-logs").boundingBox()).y;
    const committedEverywhere = (cmd) =>
      page.evaluate((cmd) => window.playground.state().nodes.every((n) => n.log.some((e) => e.command === cmd && e.index <= n.commitIndex)), cmd);
    const request = async () => {
      const before = await page.evaluate(() => window.playground.state().nodes.find((n) => n.role === "leader").log.length);
      await page.getByRole("button", { name: "Client request" }).click();
      const cmd = await page.evaluate((k) => window.playground.state().nodes.find((n) => n.role === "leader").log[k]?.command, before);
      await expect.poll(() => committedEverywhere(cmd), { timeout: 10000 }).toBe(true);
      await page.waitForTimeout(700); // longer than the panels' period
      return cmd;
    };
    const cells = (cmd) => page.locator(".log-row .cell.committed", { hasText: new RegExp(`^${cmd}`) });
    // Running, out of view: not drawn. A print (or a whole-page picture taken for one)
    // draws it as it is.
    const a = await request();
    await expect(cells(a)).toHaveCount(0);
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await expect(cells(a)).toHaveCount(5);
    // Paused, it is drawn where it is.
    const b = await request();
    await expect(cells(b)).toHaveCount(0);
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(cells(b)).toHaveCount(5);
    expect(await logsTop()).toBeGreaterThan(800);
    expect(errors).toEqual([]);
  });
});
