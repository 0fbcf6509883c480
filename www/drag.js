// Dragging nodes with pointer events (mouse, pen and touch alike). A press that
// does not move is a click (opens the node's menu); a drag reports where the
// node was dropped, in SVG coordinates, and the caller decides what that means.

const THRESHOLD_PX = 5;

/** Client (screen) coordinates to the SVG's own coordinates. */
export function toSvgPoint(svg, clientX, clientY) {
  const m = svg.getScreenCTM();
  if (!m) return { x: clientX, y: clientY };
  const inv = m.inverse();
  return { x: inv.a * clientX + inv.c * clientY + inv.e, y: inv.b * clientX + inv.d * clientY + inv.f };
}

/**
 * @param {SVGSVGElement} svg
 * @param {{ onMove:(id:number,p:{x:number,y:number})=>void,
 *           onDrop:(id:number,p:{x:number,y:number})=>void,
 *           onCancel:(id:number)=>void,
 *           onClick:(id:number, el:Element)=>void }} handlers
 * @returns {() => void} detach
 */
export function attachDrag(svg, handlers) {
  let active = null;

  const down = (e) => {
    if (e.button !== undefined && e.button !== 0) return;
    const g = e.target.closest?.(".node");
    if (!g || active) return;
    e.preventDefault();
    active = { id: Number(g.getAttribute("data-node-id")), el: g, x0: e.clientX, y0: e.clientY, moved: false, pid: e.pointerId };
    try {
      svg.setPointerCapture(e.pointerId);
    } catch {
      // Capture fails for synthetic events; dragging still works inside the SVG.
    }
  };
  const move = (e) => {
    if (!active || e.pointerId !== active.pid) return;
    if (!active.moved && Math.hypot(e.clientX - active.x0, e.clientY - active.y0) < THRESHOLD_PX) return;
    if (!active.moved) active.el.classList.add("dragging");
    active.moved = true;
    handlers.onMove(active.id, toSvgPoint(svg, e.clientX, e.clientY));
  };
  const up = (e) => {
    if (!active || e.pointerId !== active.pid) return;
    const a = active;
    active = null;
    a.el.classList.remove("dragging");
    if (a.moved) handlers.onDrop(a.id, toSvgPoint(svg, e.clientX, e.clientY));
    else handlers.onClick(a.id, a.el);
  };
  const cancel = (e) => {
    if (!active || e.pointerId !== active.pid) return;
    const a = active;
    active = null;
    a.el.classList.remove("dragging");
    if (a.moved) handlers.onCancel(a.id);
  };
  svg.addEventListener("pointerdown", down);
  svg.addEventListener("pointermove", move);
  svg.addEventListener("pointerup", up);
  svg.addEventListener("pointercancel", cancel);
  return () => {
    svg.removeEventListener("pointerdown", down);
    svg.removeEventListener("pointermove", move);
    svg.removeEventListener("pointerup", up);
    svg.removeEventListener("pointercancel", cancel);
  };
}

/**
 * The new partition after node `id` is dropped: into group `target` (an index into
 * `groups`), or alone in a new group when `target` is -1.
 * @param {number[][]} groups current groups (node ids)
 * @returns {number[][]} new groups, empty groups removed, each sorted
 */
export function regroup(groups, id, target) {
  const out = groups.map((g) => g.filter((x) => x !== id));
  if (target >= 0) out[target].push(id);
  else out.push([id]);
  return out.filter((g) => g.length > 0).map((g) => g.sort((a, b) => a - b));
}
