// Pure layout: where nodes, groups and messages go in the cluster view.
// No DOM, no state: every function maps numbers to numbers, so it is easy to test.

/** The cluster view's coordinate system (SVG viewBox). */
export const VIEW = Object.freeze({ width: 720, height: 500, nodeRadius: 30 });

const CLUSTER_RADIUS = 180;
const GROUP_PAD = 18;
const SPACING = 125;

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
 * Lays out partition groups side by side, left to right in the order given,
 * each column as wide as its share of the nodes. Inside a column, three or more
 * members sit on a circle, two one above the other, one alone in the middle. One
 * group fills the whole view.
 *
 * A region is a capsule (a rounded rectangle as round as it can be) around its
 * members: centre (x, y), half-width hw, half-height hh.
 *
 * @param {number[][]} groups node ids per group, in display order (each sorted)
 * @returns {{ nodes: Map<number,{x:number,y:number}>,
 *             regions: {x:number,y:number,hw:number,hh:number,members:number[]}[] }}
 */
export function groupLayout(groups, view = VIEW) {
  const nodes = new Map();
  const regions = [];
  const { width, height, nodeRadius } = view;
  const pad = nodeRadius + GROUP_PAD;
  const total = groups.reduce((s, g) => s + g.length + 1, 0);
  let left = 0;
  for (const members of groups) {
    const w = groups.length === 1 ? width : (width * (members.length + 1)) / total;
    const cx = left + w / 2;
    const cy = height / 2;
    left += w;
    const fit = Math.max(0, Math.min(w / 2, height / 2) - pad - 6);
    let pos;
    let hw = pad;
    let hh = pad;
    if (members.length === 2) {
      // Stacked: a narrow column has height to spare.
      const half = SPACING / 2;
      pos = [{ x: cx, y: cy - half }, { x: cx, y: cy + half }];
      hh = half + pad;
    } else {
      // Neighbours on the circle stay SPACING apart (centre to centre) where room allows.
      let r = 0;
      if (groups.length === 1) r = Math.min(CLUSTER_RADIUS, fit);
      else if (members.length > 2) r = Math.min(fit, CLUSTER_RADIUS, SPACING / (2 * Math.sin(Math.PI / members.length)));
      pos = circlePositions(members.length, cx, cy, r);
      hw = hh = r + pad;
    }
    members.forEach((id, i) => nodes.set(id, pos[i]));
    regions.push({ x: cx, y: cy, hw, hh, members });
  }
  return { nodes, regions };
}

/**
 * Orders groups left to right by where their members were last drawn, so a node
 * dragged to the right ends up in a group on the right.
 * @param {number[][]} groups
 * @param {(id:number)=>{x:number}|undefined} xOf
 */
export function orderGroups(groups, xOf) {
  const mean = (g) => {
    let s = 0;
    let k = 0;
    for (const id of g) {
      const p = xOf(id);
      if (p) {
        s += p.x;
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

/** SVG path of an arc from angle 0 (top) clockwise covering `frac` of a circle. */
export function arcPath(cx, cy, r, frac) {
  const f = Math.min(0.9999, Math.max(0, frac));
  if (f <= 0) return "";
  const a = -Math.PI / 2 + 2 * Math.PI * f;
  const x = cx + r * Math.cos(a);
  const y = cy + r * Math.sin(a);
  const large = f > 0.5 ? 1 : 0;
  return `M${cx} ${cy - r}A${r} ${r} 0 ${large} 1 ${x.toFixed(2)} ${y.toFixed(2)}`;
}
