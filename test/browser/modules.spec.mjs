// Unit tests of the page's pure modules (no browser needed): layout geometry,
// regrouping after a drop, URL round trips, the speed scale, command names.
import { test, expect } from "@playwright/test";
import { circlePositions, groupLayout, orderGroups, regionAt, inRegion, pointAlong, VIEW, TALL_VIEW, SMALL_VIEW, VOTE_LINE, prefersTall, drawsSmall, pickView } from "../../www/geometry.js";
import { CROWN } from "../../www/render/nodes.js";
const viewBox = (v) => [v.x, v.y, v.width, v.height].join(" ");
import { regroup } from "../../www/drag.js";
import { parseQuery, toQuery, playgroundOptions, DEFAULTS } from "../../www/url.js";
import { sliderToSpeed, speedToSlider, speedLabel } from "../../www/controls.js";
import { glyphKind, responseOk } from "../../www/palette.js";
import { commandText } from "../../www/render/logs.js";

const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);

test("nodes on the circle never overlap, for every cluster size and split, in every view", () => {
  const crownTop = -Math.min(...CROWN.match(/-?[\d.]+/g).map(Number).filter((_, i) => i % 2 === 1)) + VIEW.nodeRadius + 14;
  for (const view of [VIEW, TALL_VIEW, SMALL_VIEW])
  for (let n = 3; n <= 9; n++) {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const splits = [[ids], [ids.slice(0, 1), ids.slice(1)], [ids.slice(0, 2), ids.slice(2)], [ids.slice(0, n - 1), ids.slice(n - 1)]];
    if (n >= 6) splits.push([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    for (const groups of splits) {
      const { nodes, regions, nodeRadius } = groupLayout(groups, view);
      // Nodes drawn at the view's size, or, where groups crowd a tall view, halfway to the
      // wide view's, or at the wide view's.
      expect([view.nodeRadius, (view.nodeRadius + VIEW.nodeRadius) / 2, VIEW.nodeRadius]).toContain(nodeRadius);
      const k = nodeRadius / VIEW.nodeRadius;
      expect(nodes.size).toBe(n);
      const ps = [...nodes.values()];
      for (let i = 0; i < ps.length; i++) {
        expect(ps[i].x).toBeGreaterThanOrEqual(view.x + nodeRadius);
        expect(ps[i].x).toBeLessThanOrEqual(view.x + view.width - nodeRadius);
        expect(ps[i].y).toBeGreaterThanOrEqual(view.y + nodeRadius);
        expect(ps[i].y).toBeLessThanOrEqual(view.y + view.height - nodeRadius);
        for (let j = i + 1; j < ps.length; j++) expect(dist(ps[i], ps[j])).toBeGreaterThan(2 * nodeRadius + 8);
      }
      // Drawn larger than in the wide view, a node keeps its vote line (and in one group,
      // its crown, were it the leader) inside the view, and its vote line's box clear of the
      // other nodes' circles and the inner half of their rings.
      if (nodeRadius > VIEW.nodeRadius)
        for (const p of ps) {
          const where = `${JSON.stringify(groups)} at ${nodeRadius} in ${view.width}x${view.height}: node at ${p.x.toFixed(0)},${p.y.toFixed(0)}`;
          if (groups.length === 1) expect(p.y - crownTop * k, where).toBeGreaterThanOrEqual(view.y);
          const bottom = p.y + nodeRadius + VOTE_LINE.below * k;
          expect(bottom, where).toBeLessThanOrEqual(view.y + view.height);
          for (const q of ps) {
            if (q === p) continue;
            const dx = Math.max(p.x - VOTE_LINE.halfWidth * k - q.x, 0, q.x - p.x - VOTE_LINE.halfWidth * k);
            const dy = Math.max(bottom - 12 * k - q.y, 0, q.y - bottom);
            expect(Math.hypot(dx, dy), where).toBeGreaterThanOrEqual(nodeRadius + 4 * k);
          }
        }
      // Each node lies inside its own group's region and no other, and so does the "voted
      // for N" line under it (render/nodes.js), clear of the region's edge.
      regions.forEach((r, gi) => {
        const inner = { ...r, hw: r.hw - 2, hh: r.hh - 2 };
        for (const id of r.members) {
          const p = nodes.get(id);
          expect(regionAt(regions, p)).toBe(gi);
          const y = p.y + nodeRadius + VOTE_LINE.below * k;
          for (const x of [p.x - VOTE_LINE.halfWidth * k, p.x + VOTE_LINE.halfWidth * k])
            expect(inRegion(inner, { x, y }), `${JSON.stringify(groups)}: node ${id}'s vote line`).toBe(true);
        }
      });
      // Regions sit side by side (top to bottom in the tall view), inside the view, without
      // overlapping, with room under each for its two-line label (render/groups.js).
      const tall = view.height > view.width;
      for (let i = 0; i < regions.length; i++) {
        const r = regions[i];
        expect(r.x - r.hw).toBeGreaterThanOrEqual(view.x);
        expect(r.x + r.hw).toBeLessThanOrEqual(view.x + view.width);
        expect(r.y - r.hh).toBeGreaterThanOrEqual(view.y);
        // (The labels grow with the nodes.)
        expect(r.y + r.hh + (regions.length > 1 ? 30 * k : 0)).toBeLessThanOrEqual(view.y + view.height + 0.5);
        // One group (shown while a node is dragged) has its one-line label above it.
        if (regions.length === 1) expect(r.y - r.hh - 20 * k).toBeGreaterThanOrEqual(view.y);
        if (i === 0) continue;
        const p = regions[i - 1];
        if (tall) expect(p.y + p.hh + 30 * k).toBeLessThanOrEqual(r.y - r.hh + 0.5);
        else expect(p.x + p.hw).toBeLessThanOrEqual(r.x - r.hw + 0.5);
      }
    }
  }
});

test("a capsule region contains its inside and not its corners", () => {
  const r = { x: 100, y: 100, hw: 40, hh: 100 };
  expect(inRegion(r, { x: 100, y: 10 })).toBe(true);
  expect(inRegion(r, { x: 139, y: 100 })).toBe(true);
  expect(inRegion(r, { x: 141, y: 100 })).toBe(false);
  expect(inRegion(r, { x: 138, y: 2 })).toBe(false);
  expect(inRegion({ x: 0, y: 0, hw: 10, hh: 10 }, { x: 7.2, y: 7.2 })).toBe(false);
});

test("a single node sits at the centre; the first of several at the top", () => {
  expect(circlePositions(1, 10, 20, 5)).toEqual([{ x: 10, y: 20 }]);
  const [top] = circlePositions(5, 0, 0, 100);
  expect(top.x).toBeCloseTo(0);
  expect(top.y).toBeCloseTo(-100);
});

test("groups are ordered left to right by where their nodes were drawn (top to bottom in the tall view)", () => {
  const where = new Map([[1, { x: 500, y: 0 }], [2, { x: 100, y: 400 }], [3, { x: 120, y: 300 }]]);
  expect(orderGroups([[1], [2, 3]], (id) => where.get(id))).toEqual([[2, 3], [1]]);
  expect(orderGroups([[2, 3], [1]], (id) => where.get(id), "y")).toEqual([[1], [2, 3]]);
});

test("the tall view: the same place for one group, drawn larger, and chosen only where it draws larger", () => {
  expect(TALL_VIEW.nodeRadius).toBeGreaterThan(VIEW.nodeRadius);
  for (let n = 3; n <= 9; n++) {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    expect([...groupLayout([ids], TALL_VIEW).nodes]).toEqual([...groupLayout([ids], VIEW).nodes]);
    // One group leaves room for the larger nodes, up to nine of them; two groups up to
    // eight, and nine in two at least halfway to it (their labels grow with the nodes).
    expect(groupLayout([ids], TALL_VIEW).nodeRadius).toBe(TALL_VIEW.nodeRadius);
    const two = groupLayout([ids.slice(0, 1), ids.slice(1)], TALL_VIEW).nodeRadius;
    if (n <= 8) expect(two).toBe(TALL_VIEW.nodeRadius);
    else expect(two).toBeGreaterThanOrEqual((TALL_VIEW.nodeRadius + VIEW.nodeRadius) / 2);
  }
  // Three groups may crowd it: nine nodes in threes (rows of three) keep the large size;
  // 3 + 4 + 2 (rows of three and four) get halfway to it; two lone nodes and six get the
  // wide view's.
  expect(groupLayout([[1, 2, 3], [4, 5, 6], [7, 8, 9]], TALL_VIEW).nodeRadius).toBe(TALL_VIEW.nodeRadius);
  expect(groupLayout([[1, 2, 3], [4, 5, 6, 7], [8, 9]], TALL_VIEW).nodeRadius).toBe((TALL_VIEW.nodeRadius + VIEW.nodeRadius) / 2);
  expect(groupLayout([[1], [2], [3, 4, 5, 6, 7, 8]], TALL_VIEW).nodeRadius).toBe(VIEW.nodeRadius);
  // In a stacked band three nodes stand in a row, and four where the row fits, each vote
  // line clear of the others' circles (a triangle or a diamond squeezed into the band would
  // run one under).
  const row = groupLayout([[1, 2, 3], [4, 5, 6, 7, 8]], TALL_VIEW).nodes;
  expect(new Set([1, 2, 3].map((id) => row.get(id).y)).size).toBe(1);
  const four = groupLayout([[1, 2, 3], [4, 5, 6, 7], [8, 9]], TALL_VIEW).nodes;
  expect(new Set([4, 5, 6, 7].map((id) => four.get(id).y)).size).toBe(1);
  // prefersTall writes the views' sizes out (it is inlined into the built page): it must
  // agree with the scales VIEW and TALL_VIEW give.
  const scale = (v, w, h) => Math.min(w / v.width, h / v.height);
  for (const w of [200, 340, 390, 500, 700, 860, 1200])
    for (const h of [250, 324, 450, 590, 800, 1100, Infinity])
      expect(prefersTall(w, h), `${w} x ${h}`).toBe(scale(TALL_VIEW, w, h) > 1.2 * scale(VIEW, w, h));
  expect(pickView(352, 590)).toBe(TALL_VIEW); // a phone, full page
  expect(pickView(860, 560)).toBe(VIEW); // a laptop
  expect(pickView(370, 324)).toBe(SMALL_VIEW); // a short embed: the wide view is as large, drawn small
});

test("a box that draws the wide view small gets larger nodes where they fit, in the same coordinates", () => {
  expect(SMALL_VIEW.nodeRadius).toBeGreaterThan(TALL_VIEW.nodeRadius);
  expect(viewBox(SMALL_VIEW)).toBe(viewBox(VIEW));
  // drawsSmall writes the wide view's size out (it is inlined into the built page).
  for (const w of [200, 340, 500, 575, 577, 700, 1200])
    for (const h of [250, 399, 401, 590, Infinity]) expect(drawsSmall(w, h), `${w} x ${h}`).toBe(Math.min(w / VIEW.width, h / VIEW.height) < 0.8);
  expect(pickView(686, 302)).toBe(SMALL_VIEW); // the README's embed (560 px tall) in a 700 px column
  expect(pickView(700, 560)).toBe(VIEW); // a laptop's full page
  // One group of up to six nodes, the usual case, is drawn half as large again.
  for (let n = 3; n <= 6; n++) {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    expect(groupLayout([ids], SMALL_VIEW).nodeRadius, `${n} nodes`).toBe(SMALL_VIEW.nodeRadius);
    expect(groupLayout([ids.slice(0, 1), ids.slice(1)], SMALL_VIEW).nodeRadius, `1 + ${n - 1} nodes`).toBe(SMALL_VIEW.nodeRadius);
  }
  // Nine in one group do not fit larger: they keep the wide view's size.
  expect(groupLayout([[1, 2, 3, 4, 5, 6, 7, 8, 9]], SMALL_VIEW).nodeRadius).toBe(VIEW.nodeRadius);
});

test("a message moves from rim to rim and keeps to its side of the link", () => {
  const a = { x: 0, y: 0 };
  const b = { x: 100, y: 0 };
  expect(pointAlong(a, b, 0, 0, 10)).toEqual({ x: 10, y: 0 });
  expect(pointAlong(a, b, 1, 0, 10)).toEqual({ x: 90, y: 0 });
  expect(pointAlong(a, b, 2, 0, 10)).toEqual({ x: 90, y: 0 });
  expect(pointAlong(a, b, 0.5, 5, 10).y).toBeCloseTo(5);
  expect(pointAlong(b, a, 0.5, 5, 10).y).toBeCloseTo(-5);
});

test("regroup: drop on empty space makes a new group, drop on a group joins it", () => {
  expect(regroup([[1, 2, 3, 4, 5]], 3, -1)).toEqual([[1, 2, 4, 5], [3]]);
  expect(regroup([[1, 2, 4, 5], [3]], 5, 1)).toEqual([[1, 2, 4], [3, 5]]);
  expect(regroup([[1, 2, 4], [3, 5]], 3, 0)).toEqual([[1, 2, 3, 4], [5]]);
  expect(regroup([[1, 2, 3, 4], [5]], 5, 0)).toEqual([[1, 2, 3, 4, 5]]);
});

test("URL settings round-trip, and bad values fall back with a note", () => {
  const s = { ...DEFAULTS, seed: 42, nodes: 7, preVote: false, speed: 0.002, loss: 0.1, latency: 80, embed: true, faults: ["voteWithoutLogCheck"] };
  const back = parseQuery(toQuery(s));
  expect({ ...back, problems: undefined }).toEqual({ ...s, problems: undefined });
  expect(back.problems).toEqual([]);
  const bad = parseQuery("?seed=-1&nodes=12&speed=abc&prevote=maybe&faults=voteWithoutLogCheck,nonsense");
  expect(bad.faults).toEqual(["voteWithoutLogCheck"]);
  expect(bad.seed).toBeNull();
  expect(bad.nodes).toBe(DEFAULTS.nodes);
  expect(bad.speed).toBe(DEFAULTS.speed);
  expect(bad.problems.length).toBe(5);
  const o = playgroundOptions({ ...DEFAULTS, seed: 5, latency: 20 });
  expect(o).toMatchObject({ nodes: 5, seed: 5, preVote: true, checkQuorum: true, latencyMs: [10, 30] });
  expect(playgroundOptions({ ...DEFAULTS, faults: ["commitOldTermByCount"] }).faults).toEqual({ commitOldTermByCount: true });
});

test("speed slider is logarithmic from 1/1000 to real time", () => {
  expect(sliderToSpeed(0)).toBeCloseTo(0.001);
  expect(sliderToSpeed(3)).toBeCloseTo(1);
  expect(speedToSlider(0.01)).toBeCloseTo(1);
  expect(speedLabel(1)).toBe("real time");
  expect(speedLabel(0.01)).toBe("1/100×");
  expect(speedLabel(0.001)).toBe("1/1000×");
});

test("message glyphs tell votes granted from denied and heartbeats from appends", () => {
  expect(glyphKind({ type: "RequestVoteResponse", ok: true })).toBe("voteYes");
  expect(glyphKind({ type: "RequestVoteResponse", granted: false })).toBe("voteNo");
  expect(glyphKind({ type: "AppendEntries", entries: 0 })).toBe("heartbeat");
  expect(glyphKind({ type: "AppendEntries", entries: 3 })).toBe("append");
  expect(glyphKind({ type: "AppendEntries", entries: [{}, {}] })).toBe("append");
  expect(glyphKind({ type: "AppendEntriesResponse", success: false })).toBe("nack");
  expect(responseOk({ type: "PreVoteResponse", ok: false })).toBe(false);
});

test("log cells name commands, no-ops and membership changes briefly", () => {
  expect(commandText({ command: "A", kind: "command" })).toBe("A");
  expect(commandText({ command: "", kind: "noop" })).toBe("·");
  expect(commandText({ command: "add node 6", kind: "config" })).toBe("+6");
  expect(commandText({ command: "remove node 2", kind: "config" })).toBe("−2");
});
