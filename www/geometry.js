// Pure layout: where nodes, groups and messages go in the cluster view.
// No DOM, no state: every function maps numbers to numbers, so it is easy to test.

/**
 * The cluster view's coordinate systems (SVG viewBox): wide, and tall for a narrow box (a
 * phone), where groups stack top to bottom. Both are centred on the same point, so one
 * group sits in the same place in either and a node keeps its place when the view turns.
 * The tall view draws each node (its circle, texts, ring and crown) a quarter larger where
 * the groups leave room, an eighth where they leave less (groupLayout): on a phone, where
 * it is drawn at about 0.7 CSS pixels per unit, a node's term and vote would otherwise be
 * 8 to 9 pixels tall.
 */
export const VIEW = Object.freeze({ x: 0, y: 0, width: 720, height: 500, nodeRadius: 30 });
export const TALL_VIEW = Object.freeze({ x: 110, y: -110, width: 500, height: 720, nodeRadius: 37.5 });
/**
 * The wide view in a box that draws it small (an embed in a blog's column, a short or
 * narrow window): the same coordinates, nodes drawn half as large again where they fit (at
 * 0.6 CSS pixels per unit, a node's term would otherwise be under 7 pixels tall).
 */
export const SMALL_VIEW = Object.freeze({ ...VIEW, nodeRadius: 45 });

/** How many times larger than in the wide view a node of radius `nodeRadius` is drawn. */
export function nodeScale(nodeRadius) {
  return nodeRadius / VIEW.nodeRadius;
}

/**
 * Whether the tall view draws the cluster at least a fifth larger than the wide one in a
 * box `width` wide and at most `maxHeight` tall (both in CSS pixels). Self-contained (its
 * source is inlined into the built page, to turn the view before the first paint), so the
 * sizes are written out: a test holds them to VIEW and TALL_VIEW.
 */
export function prefersTall(width, maxHeight) {
  return Math.min(width / 500, maxHeight / 720) > 1.2 * Math.min(width / 720, maxHeight / 500);
}

/**
 * Whether the wide view, in a box `width` wide and at most `maxHeight` tall (CSS pixels), is
 * drawn at under 0.8 pixels per unit. Self-contained, as prefersTall.
 */
export function drawsSmall(width, maxHeight) {
  return Math.min(width / 720, maxHeight / 500) < 0.8;
}

/** Whether `view` is the tall one: groups stack top to bottom. */
export function isTall(view) {
  return view.height > view.width;
}

/** A view as an SVG viewBox attribute. */
export function viewBoxOf(view) {
  return `${view.x} ${view.y} ${view.width} ${view.height}`;
}

/** The view for a box `width` wide and at most `maxHeight` tall. */
export function pickView(width, maxHeight) {
  if (prefersTall(width, maxHeight)) return TALL_VIEW;
  return drawsSmall(width, maxHeight) ? SMALL_VIEW : VIEW;
}

const CLUSTER_RADIUS = 180;
const GROUP_PAD = 18;
const SPACING = 125;
// Under a region, for its two lines (render/groups.js), in the wide view (nodeScale times as
// much in another: the label grows with the nodes).
const LABEL_ROOM = 30;
// How far above a node's centre a leader's crown reaches (render/nodes.js CROWN), in the
// wide view (nodeScale times as far in another).
const CROWN_TOP = 55;
// How wide a region's label is ("9 of 9: minority", 12px text; render/groups.js) in the
// wide view, with room either side of it.
const LABEL_WIDTH = 120;
// Above one group's region (shown only while a node is dragged), for its one-line label.
const LABEL_ABOVE = 20;
// A node's "voted for N" line (render/nodes.js, 11px text): its baseline below the circle,
// and the box a region keeps clear for it (below the circle, and either side of the centre),
// in the wide view (nodeScale times as much in another).
export const VOTE_LINE = Object.freeze({ baseline: 22, below: 25, halfWidth: 31 });

/**
 * Positions of `n` nodes evenly on a circle, the first at the top, clockwise.
 * @returns {{x:number,y:number}[]}
 */
export function circlePositions(n, cx, cy, r) {
  if (n === 1) return [{ x: cx, y: cy }];
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    out.push({ x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
  }
  return out;
}

/**
 * Lays out partition groups side by side along the view's long side, in the order given
 * (left to right, or top to bottom in a tall view), each band as long as its share of
 * the nodes. Inside a band, three or more members sit on a circle, two across the band,
 * one alone in the middle. One group fills the whole view.
 *
 * A region is a capsule (a rounded rectangle as round as it can be) around its
 * members and the "voted for" lines under them (VOTE_LINE): centre (x, y), half-width hw,
 * half-height hh.
 *
 * Nodes are drawn at the view's nodeRadius where that leaves every two nodes' rims apart,
 * every node with its vote line inside the view, each vote line clear of the other nodes'
 * circles (and the inner half of their rings), and every region with its label, and a
 * leader's crown over its top node, inside its band; failing that, halfway to the wide view's
 * size if that does; and at the wide view's otherwise (several groups of a large cluster
 * stacked in a tall view).
 *
 * @param {number[][]} groups node ids per group, in display order (each sorted)
 * @returns {{ nodes: Map<number,{x:number,y:number}>,
 *             regions: {x:number,y:number,hw:number,hh:number,members:number[]}[],
 *             nodeRadius: number }}
 */
export function groupLayout(groups, view = VIEW) {
  const fits = ({ layout, over }) => {
    const ps = [...layout.nodes.values()];
    const apart = 2 * (layout.nodeRadius + 8);
    const roomy = ps.every((p, i) => ps.every((q, j) => j <= i || Math.hypot(p.x - q.x, p.y - q.y) >= apart));
    return roomy && over <= 0 && ps.every((p) => fitsAround(p, ps, view, layout.nodeRadius));
  };
  // The view's size, then halfway to the wide view's; neighbours as far apart as the nodes
  // are larger, else as far as at the wide view's size.
  const sizes = [view.nodeRadius, (view.nodeRadius + VIEW.nodeRadius) / 2].filter((r) => r > VIEW.nodeRadius);
  const tries = sizes.flatMap((r) => [[r, SPACING * nodeScale(r)], [r, SPACING]]);
  for (const [nodeRadius, spacing] of tries) {
    const placed = placeGroups(groups, view, nodeRadius, spacing);
    if (fits(placed)) return placed.layout;
  }
  // Then the wide view's size. Where a tall view's bands are too many for it, small groups
  // next to one another share a band, side by side.
  const tried = [...tries, [VIEW.nodeRadius, SPACING]];
  const stacked = placeGroups(groups, view, VIEW.nodeRadius, SPACING);
  if (fits(stacked) || !isTall(view) || groups.length < 3) return stacked.layout;
  for (const [nodeRadius, spacing] of tried) {
    const rows = shareRows(groups, view, nodeRadius, spacing);
    if (rows.length === groups.length) continue;
    const placed = placeGroups(groups, view, nodeRadius, spacing, rows);
    if (fits(placed) || nodeRadius === VIEW.nodeRadius) return placed.layout;
  }
  // Last, the stacked bands with neighbours on a circle closer together: a large group
  // between two small ones that cannot share a band (1+7+1) leaves them no room otherwise.
  for (const spacing of [SPACING * 0.9, SPACING * 0.8]) {
    const placed = placeGroups(groups, view, VIEW.nodeRadius, spacing);
    if (fits(placed)) return placed.layout;
  }
  return stacked.layout;
}

/**
 * Bands for a tall view (indexes into `groups`, in order): a group of one or two nodes shares
 * its band with the small groups next to it, as many as fit side by side across the view.
 */
function shareRows(groups, view, nodeRadius, spacing) {
  const rows = [];
  let width = Infinity;
  for (const [gi, members] of groups.entries()) {
    const w = slotWidth(members.length, nodeRadius, spacing);
    const row = rows[rows.length - 1];
    if (members.length <= 2 && row && groups[row[0]].length <= 2 && width + GROUP_PAD + w <= view.width) {
      row.push(gi);
      width += GROUP_PAD + w;
    } else {
      rows.push([gi]);
      width = w;
    }
  }
  return rows;
}

/**
 * How wide a group of one or two nodes is in a band it shares (two stand across it): its
 * region, or its label where that is wider.
 */
function slotWidth(count, nodeRadius, spacing) {
  return Math.max(2 * (nodeRadius + GROUP_PAD) + (count === 2 ? spacing : 0), LABEL_WIDTH * nodeScale(nodeRadius));
}

/**
 * groupLayout's work for nodes of radius `nodeRadius`, neighbours `spacing` apart (centre
 * to centre) where room allows: the layout, and `over`, how far the drawing of the group
 * that fits worst leaves its band (none fits if positive).
 */
function placeGroups(groups, view, nodeRadius, spacing, rows = groups.map((_, gi) => [gi])) {
  const first = placeBands(groups, view, nodeRadius, spacing, rows);
  if (first.over <= 0 || !isTall(view) || groups.length === 1) return first;
  // Stacked bands, some too short for what their group draws: give each band the length its
  // group needs at its first size (a lone node needs more than its share), and the rest
  // in proportion; then once more from what that gave.
  let best = first;
  let needs = first.needs;
  for (let n = 0; n < 2 && best.over > 0; n++) {
    const sum = needs.reduce((a, b) => a + b, 0);
    const spare = view.height - sum;
    const lengths = needs.map((need) => (spare >= 0 ? need + (spare * need) / sum : (need * view.height) / sum));
    const next = placeBands(groups, view, nodeRadius, spacing, rows, lengths);
    if (next.over < best.over) best = next;
    needs = next.needs;
  }
  return best;
}

/**
 * placeGroups's work: `rows`, the groups in each band (indexes into `groups`; more than one
 * only in a tall view, groups of one or two side by side); each band's length given
 * (`lengths`, along the view's long side), or as its share of the nodes; `needs`: the length
 * each band's drawing took at the size it was first tried at (what `lengths` may give it
 * next).
 */
function placeBands(groups, view, nodeRadius, spacing, rows, lengths = null) {
  const nodes = new Map();
  const regions = [];
  let overflow = 0;
  const tall = isTall(view);
  const length = tall ? view.height : view.width; // along the bands
  const across = tall ? view.width : view.height;
  const pad = nodeRadius + GROUP_PAD;
  // Stacked bands keep room under each region for its label, and a small group a little
  // more than its share: more still for larger nodes (at the tall view's size, a lone
  // node's region and label take about 160 of its 720 units).
  const k = nodeScale(nodeRadius);
  const labelRoom = LABEL_ROOM * k;
  const room = tall && groups.length > 1 ? labelRoom / 2 : 0;
  const extra = tall ? 1.5 + 4 * (k - 1) : 1;
  const weight = (row) => Math.max(...row.map((gi) => groups[gi].length)) + extra;
  const total = rows.reduce((s, row) => s + weight(row), 0);
  let start = 0;
  const needs = [];
  for (const [ri, row] of rows.entries()) {
    const w = groups.length === 1 ? length : lengths ? lengths[ri] : (length * weight(row)) / total;
    const along = start + w / 2 - room;
    start += w;
    // Groups sharing a band stand side by side across it, centred together.
    const widths = row.map((gi) => slotWidth(groups[gi].length, nodeRadius, spacing));
    let left = across / 2 - (widths.reduce((a, b) => a + b, 0) + GROUP_PAD * (row.length - 1)) / 2;
    let need = 0;
    for (const [j, gi] of row.entries()) {
      const members = groups[gi];
      const cx = view.x + (tall ? (row.length > 1 ? left + widths[j] / 2 : across / 2) : along);
      left += widths[j] + GROUP_PAD;
      const cy = view.y + (tall ? along : across / 2);
      // The band (or, across the bands, the view) the region and its label keep to.
      const band = tall ? { top: view.y + start - w, bottom: view.y + start } : { top: view.y, bottom: view.y + view.height };
      /** Members on a circle of radius r (or in a row, for two), and their region. */
      const place = (r) => {
        let pos;
        let hw = pad;
        let hh = pad;
        if (members.length === 2) {
          // Across the band: a narrow band has room to spare that way.
          const half = spacing / 2;
          if (tall) {
            pos = [{ x: cx - half, y: cy }, { x: cx + half, y: cy }];
            hw = half + pad;
          } else {
            pos = [{ x: cx, y: cy - half }, { x: cx, y: cy + half }];
            hh = half + pad;
          }
        } else if (tall && groups.length > 1 && members.length <= 4 && (members.length - 1) * spacing + 2 * pad <= across) {
          // A row across a stacked band, where it fits: a triangle or a diamond there would be
          // squeezed until the top node's vote line ran under the others.
          const mid = (members.length - 1) / 2;
          pos = members.map((_, i) => ({ x: cx + (i - mid) * spacing, y: cy }));
          hw = mid * spacing + pad;
        } else {
          pos = circlePositions(members.length, cx, cy, r);
          hw = hh = r + pad;
        }
        const region = { x: cx, y: cy, hw, hh, members };
        // The region reaches down, its top staying put, until every member's vote line lies
        // inside it, clear of its edge; then the group moves within its band (below). (One
        // group's region, drawn only while a node is dragged, has its label above it, and
        // must only stay inside the view.)
        for (let n = 0; n < 40 && !pos.every((p) => holdsVoteLine(region, p, nodeRadius)); n++) {
          region.y += 1;
          region.hh += 1;
        }
        if (groups.length === 1) {
          const above = view.y + LABEL_ABOVE * k - (region.y - region.hh);
          return { pos, region, over: Math.max(region.y + region.hh - (view.y + view.height), above) };
        }
        // Then the group moves as little as it can (`shift`, down if positive) to keep what
        // it draws inside its band: at the top, its region and a leader's crown over its top
        // node; at the bottom, its label. Where both cannot be, the top wins and `over` says
        // by how much the label leaves the band.
        const top = Math.min(region.y - region.hh, Math.min(...pos.map((p) => p.y)) - CROWN_TOP * k);
        const least = band.top - top;
        const most = band.bottom - (region.y + region.hh + labelRoom);
        const shift = Math.max(least, Math.min(0, most));
        region.y += shift;
        for (const p of pos) p.y += shift;
        // Side by side, a region keeps to its own band across.
        const side = tall ? 0 : Math.max(view.x + start - w - (region.x - region.hw), region.x + region.hw - (view.x + start));
        return { pos, region, over: Math.max(shift - most, side), need: w - (most - least) };
      };
      // Neighbours on a circle stay `spacing` apart (centre to centre) where room allows; a
      // circle that still leaves no room for its label shrinks.
      const fit = Math.max(0, Math.min(w / 2 - room, across / 2) - pad - 6);
      let r = 0;
      if (groups.length === 1) {
        // One circle, as large as the crown over its top node and the vote line under its
        // lowest node allow.
        const low = Math.max(...circlePositions(members.length, 0, 0, 1).map((p) => p.y));
        const below = view.height / 2 - nodeRadius - VOTE_LINE.below * k - 2;
        r = Math.min(CLUSTER_RADIUS, fit, view.height / 2 - CROWN_TOP * k - 1, low > 0 ? below / low : fit);
      } else if (members.length > 2) r = Math.min(fit, CLUSTER_RADIUS, spacing / (2 * Math.sin(Math.PI / members.length)));
      let placed = place(r);
      need = Math.max(need, placed.need ?? w);
      // A circle's top and bottom both move in as it shrinks: half the overflow, give or take.
      for (let n = 0; n < 6 && placed.over > 0 && r > 0; n++) {
        r = Math.max(0, r - placed.over / 2 - 0.5);
        placed = place(r);
      }
      members.forEach((id, i) => nodes.set(id, placed.pos[i]));
      regions[gi] = placed.region;
      overflow = Math.max(overflow, placed.over);
    }
    needs.push(need);
  }
  return { layout: { nodes, regions, nodeRadius }, over: overflow, needs };
}

/**
 * Whether a node at p, of radius nodeRadius, lies inside `view` with its ring and its vote
 * line, and the vote line (the box of its text) keeps clear of the circles of the nodes at
 * `ps` and the inner half of their rings.
 */
function fitsAround(p, ps, view, nodeRadius) {
  const k = nodeScale(nodeRadius);
  const rim = nodeRadius + 8 * k;
  const { bottom, half } = voteLine(p, nodeRadius);
  // The vote line's text: its box reaches 12 units (11px text) above the bottom VOTE_LINE keeps.
  const top = bottom - 12 * k;
  const inside =
    p.x - Math.max(rim, half) >= view.x &&
    p.x + Math.max(rim, half) <= view.x + view.width &&
    p.y - rim >= view.y &&
    bottom <= view.y + view.height;
  return (
    inside &&
    ps.every((q) => {
      if (q === p) return true;
      const dx = Math.max(p.x - half - q.x, 0, q.x - p.x - half);
      const dy = Math.max(top - q.y, 0, q.y - bottom);
      return Math.hypot(dx, dy) >= nodeRadius + 4 * k;
    })
  );
}

/** Whether region r holds, 2 px inside its edge, the vote line under a node drawn at p. */
function holdsVoteLine(r, p, nodeRadius) {
  const inner = { x: r.x, y: r.y, hw: r.hw - 2, hh: r.hh - 2 };
  const { bottom: y, half } = voteLine(p, nodeRadius);
  return inRegion(inner, { x: p.x - half, y }) && inRegion(inner, { x: p.x + half, y });
}

/** The box kept for the vote line under a node at p (VOTE_LINE): its bottom and half-width. */
function voteLine(p, nodeRadius) {
  const k = nodeScale(nodeRadius);
  return { bottom: p.y + nodeRadius + VOTE_LINE.below * k, half: VOTE_LINE.halfWidth * k };
}

/**
 * Orders groups left to right (or, with axis "y", top to bottom) by where their members
 * were last drawn, so a node dragged to the right ends up in a group on the right.
 * @param {number[][]} groups
 * @param {(id:number)=>{x:number,y:number}|undefined} posOf
 * @param {"x"|"y"} [axis]
 */
export function orderGroups(groups, posOf, axis = "x") {
  const mean = (g) => {
    let s = 0;
    let k = 0;
    for (const id of g) {
      const p = posOf(id);
      if (p) {
        s += p[axis];
        k++;
      }
    }
    return k ? s / k : 0;
  };
  return groups
    .map((g) => ({ g, x: mean(g) }))
    .sort((a, b) => a.x - b.x || a.g[0] - b.g[0])
    .map((e) => e.g);
}

/** Whether point p lies inside region r (a capsule). */
export function inRegion(r, p) {
  const rad = Math.min(r.hw, r.hh);
  const dx = Math.max(Math.abs(p.x - r.x) - (r.hw - rad), 0);
  const dy = Math.max(Math.abs(p.y - r.y) - (r.hh - rad), 0);
  return dx * dx + dy * dy <= rad * rad;
}

/** The index of the region that contains point p, or -1. */
export function regionAt(regions, p) {
  for (let i = 0; i < regions.length; i++) if (inRegion(regions[i], p)) return i;
  return -1;
}

/**
 * The point a fraction `t` (clamped to 0..1) of the way along the link from a to b,
 * shifted `side` units to the right of the direction of travel, so that requests and
 * replies on the same link pass each other instead of overlapping. The link starts
 * and ends at the node circles' rims.
 */
export function pointAlong(a, b, t, side = 0, rim = VIEW.nodeRadius) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const f = Math.min(1, Math.max(0, t));
  const inner = Math.max(0, len - 2 * rim);
  const d = rim + inner * f;
  return { x: a.x + ux * d - uy * side, y: a.y + uy * d + ux * side };
}

/** Moves `cur` a step towards `target` (exponential approach); true when it arrived. */
export function approach(cur, target, dtMs, tauMs = 90) {
  const k = 1 - Math.exp(-dtMs / tauMs);
  cur.x += (target.x - cur.x) * k;
  cur.y += (target.y - cur.y) * k;
  if (Math.hypot(target.x - cur.x, target.y - cur.y) < 0.5) {
    cur.x = target.x;
    cur.y = target.y;
    return true;
  }
  return false;
}
