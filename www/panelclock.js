// When the side panels redraw while a cluster runs. The log panel, the event log and the
// timeline each cost a style, layout and paint pass when they change; drawn on frames of
// their own they would put a costly frame in every few, which is what sets the frame-cost
// p95. So they redraw together, on the first frame of every PANELS_EVERY_MS of wall time:
// one frame in ~30 pays for all of them, and a reader still sees them move twice a second.
// Paused, stepping, or after an action, each redraws at once (callers decide that).
//
// The app asks once, at the start of each frame, and tells the panels drawn during it
// (the timeline is told of the frame's advance by the hub) through `app.panelsDue()`. One
// caller matters: the timeline lives in another bundle (the teaching chunk) with its own
// copy of this module, and two clocks would pick two different frames.

/** Wall ms between the panels' redraws while a cluster runs. */
export const PANELS_EVERY_MS = 500;

/**
 * A clock for one view. `due(now)` is true on the first call of every PANELS_EVERY_MS
 * period: call it once per frame.
 */
export function panelClock(every = PANELS_EVERY_MS) {
  let period = -1;
  return {
    due(now = performance.now()) {
      const p = Math.floor(now / every);
      if (p === period) return false;
      period = p;
      return true;
    },
  };
}
