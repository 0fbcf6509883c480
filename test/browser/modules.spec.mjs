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

/** Every way to cut nodes 1..n, in order, into 1 to `most` groups. */
function consecutiveSplits(n, most) {
  const out = [];
  const walk = (from, groups) => {
    if (from > n) {
      out.push(groups);
      return;
    }
    if (groups.length === most) return;
    for (let to = from; to <= n; to++) walk(to + 1, [...groups, Array.from({ length: to - from + 1 }, (_, i) => from + i)]);
  };
  walk(1, []);
  return out;
}

test("nodes on the circle never overlap, for every cluster size and split into up to four groups, in every view", () => {
  const crownTop = -Math.min(...CROWN.match(/-?[\d.]+/g).map(Number).filter((_, i) => i % 2 === 1)) + VIEW.nodeRadius + 14;
  // Every layout is checked, and every broken rule listed: an expect per rule and node
  // took minutes over the 756 layouts.
  const broken = [];
  let layouts = 0;
  for (const view of [VIEW, TALL_VIEW, SMALL_VIEW])
  for (let n = 3; n <= 9; n++) {
    for (const groups of consecutiveSplits(n, 4)) {
      layouts++;
      const { nodes, regions, nodeRadius } = groupLayout(groups, view);
      const at = `${groups.map((g) => g.length).join("+")} in ${view.width}x${view.height} at ${nodeRadius}`;
      const rule = (ok, what) => ok || broken.push(`${at}: ${what}`);
      // Nodes drawn at the view's size, or, where groups crowd a tall view, halfway to the
      // wide view's, or at the wide view's.
      rule([view.nodeRadius, (view.nodeRadius + VIEW.nodeRadius) / 2, VIEW.nodeRadius].includes(nodeRadius), "node size");
      const k = nodeRadius / VIEW.nodeRadius;
      rule(nodes.size === n, "node count");
      for (const [id, p] of nodes) {
        rule(p.x >= view.x + nodeRadius && p.x <= view.x + view.width - nodeRadius, `node ${id} across the view`);
        rule(p.y >= view.y + nodeRadius && p.y <= view.y + view.height - nodeRadius, `node ${id} along the view`);
        for (const [other, q] of nodes) if (other > id) rule(dist(p, q) > 2 * nodeRadius + 8, `nodes ${id} and ${other} apart`);
      }
      // Drawn larger than in the wide view, a node keeps its vote line inside the view, and
      // its vote line's box clear of the other nodes' circles and the inner half of their
      // rings.
      if (nodeRadius > VIEW.nodeRadius)
        for (const [id, p] of nodes) {
          const bottom = p.y + nodeRadius + VOTE_LINE.below * k;
          rule(bottom <= view.y + view.height, `node ${id}'s vote line inside the view`);
          for (const [other, q] of nodes) {
            if (other === id) continue;
            const dx = Math.max(p.x - VOTE_LINE.halfWidth * k - q.x, 0, q.x - p.x - VOTE_LINE.halfWidth * k);
            const dy = Math.max(bottom - 12 * k - q.y, 0, q.y - bottom);
            rule(Math.hypot(dx, dy) >= nodeRadius + 4 * k, `node ${id}'s vote line clear of node ${other}`);
          }
        }
      const tall = view.height > view.width;
      // Two regions overlap across the view's width (else they stand side by side).
      const across = (p, q) => p.x - p.hw < q.x + q.hw && q.x - q.hw < p.x + p.hw;
      regions.forEach((r, gi) => {
        // Each node lies inside its own group's region and no other, and so does the "voted
        // for N" line under it (render/nodes.js), clear of the region's edge.
        const inner = { ...r, hw: r.hw - 2, hh: r.hh - 2 };
        for (const id of r.members) {
          const p = nodes.get(id);
          // Were it the leader, its crown would be inside the view, and in a tall view's
          // stacked bands, below the regions and labels of the groups above it.
          const crown = { x: p.x, hw: 13 * k };
          const above = regions.filter((q, qi) => qi < gi && tall && across(q, crown)).map((q) => q.y + q.hh + 30 * k);
          rule(p.y - crownTop * k >= Math.max(view.y, ...above) - 0.5, `node ${id}'s crown inside its band`);
          rule(regionAt(regions, p) === gi, `node ${id} in its own region`);
          const y = p.y + nodeRadius + VOTE_LINE.below * k;
          for (const x of [p.x - VOTE_LINE.halfWidth * k, p.x + VOTE_LINE.halfWidth * k])
            rule(inRegion(inner, { x, y }), `node ${id}'s vote line in its region`);
        }
        // Regions sit side by side (top to bottom in the tall view), inside the view, without
        // overlapping, with room under each for its two-line label (render/groups.js; the
        // labels grow with the nodes).
        rule(r.x - r.hw >= view.x && r.x + r.hw <= view.x + view.width, `region ${gi} across the view`);
        rule(r.y - r.hh >= view.y, `region ${gi} below the view's top`);
        rule(r.y + r.hh + (regions.length > 1 ? 30 * k : 0) <= view.y + view.height + 0.5, `region ${gi} and its label above the view's bottom`);
        // One group (shown while a node is dragged) has its one-line label above it.
        if (regions.length === 1) rule(r.y - r.hh - 20 * k >= view.y, "the label above one group");
        // In a tall view a region in a later band than an earlier one is below it and clear
        // of its label; one in the same band (small groups share a band where the bands are
        // too many) stands right of it, clear of its label.
        for (const [pi, p] of regions.entries()) {
          if (pi >= gi) break;
          if (!tall) rule(pi < gi - 1 || p.x + p.hw <= r.x - r.hw + 0.5, `region ${gi} right of region ${pi}`);
          else if (r.y - r.hh >= p.y + p.hh) rule(p.y + p.hh + 30 * k <= r.y - r.hh + 0.5, `region ${gi} below region ${pi} and its label`);
          else rule(p.x + p.hw <= r.x - r.hw + 0.5 && r.x - p.x >= 110 * k, `region ${gi} and its label right of region ${pi}'s in their band`);
        }
      });
    }
  }
  expect(layouts).toBe(3 * 252); // 3..9 nodes cut into 1-4 groups: 252 ways, in each view
  expect(broken).toEqual([]);
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
  // Three groups may crowd it: nine nodes in threes (rows of three), and 3 + 4 + 2 (rows of
  // three and four), keep the large size; four and five get halfway to it; two lone nodes
  // and six get the wide view's (each lone node's band as long as it needs, not its share
  // of the nodes: the six would otherwise leave it no room for its label).
  expect(groupLayout([[1, 2, 3], [4, 5, 6], [7, 8, 9]], TALL_VIEW).nodeRadius).toBe(TALL_VIEW.nodeRadius);
  expect(groupLayout([[1, 2, 3], [4, 5, 6, 7], [8, 9]], TALL_VIEW).nodeRadius).toBe(TALL_VIEW.nodeRadius);
  expect(groupLayout([[1, 2, 3, 4], [5, 6, 7, 8, 9]], TALL_VIEW).nodeRadius).toBe((TALL_VIEW.nodeRadius + VIEW.nodeRadius) / 2);
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
  expect(bad.problems).toEqual([
    "ignored seed=-1 (a whole number, 0 or more)",
    "ignored nodes=12 (a whole number from 3 to 9)",
    "ignored speed=abc (from 0.001 to 1)",
    "ignored prevote=maybe (1 or 0)",
    "ignored fault nonsense (not a known fault)",
  ]);
  expect(parseQuery("?faults=voteWithoutLogCheck,voteWithoutLogCheck").problems).toEqual(["ignored fault voteWithoutLogCheck (named twice)"]);
  // A long value is cut in the note (the page shows it).
  expect(parseQuery(`?seed=${"9".repeat(500)}`).problems).toEqual([`ignored seed=${"9".repeat(23)}… (a whole number, 0 or more)`]);
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
