// When the side panels redraw while a cluster runs. The log panel, the event log and the
// timeline each cost a style, layout and paint pass when they change; drawn on frames of
// their own they would put a costly frame in every few, which is what sets the frame-cost
// p95. So they redraw together, on the first frame of every PANELS_EVERY_MS of wall time:
// one frame in ~30 pays for all of them, and a reader still sees them move twice a second.
// Paused, stepping, or after an action, each redraws at once (callers decide that).

/** Wall ms between the panels' redraws while a cluster runs. */
export const PANELS_EVERY_MS = 500;

// A frame's callers ask at different moments of its JS (the timeline during advance(), the
// app after it): the first to see a new period opens a short window that the others of the
// same frame fall into. A frame is ≥ 16 ms after the one before, so the window never
// reaches the next frame.
const WINDOW_MS = 12;
let period = -1;
let openUntil = -Infinity;

/** True on the frame that starts a new period (for every caller in that frame). */
export function panelsDue(now = performance.now()) {
  if (now < openUntil) return true;
  const p = Math.floor(now / PANELS_EVERY_MS);
  if (p === period) return false;
  period = p;
  openUntil = now + WINDOW_MS;
  return true;
}
