// When the side panels redraw while a cluster runs. The log panel, the event log and the
// timeline each cost a style, layout and paint pass when they change; drawn on frames of
// their own they would put a costly frame in every few, which is what sets the frame-cost
// p95. So they redraw together, on the first frame of every PANELS_EVERY_MS of wall time:
// one frame in ~30 pays for all of them, and a reader still sees them move twice a second.
// Paused, stepping, or after an action, each redraws at once (callers decide that).
//
// Each view (app.js) owns one clock and asks it once, at the start of each frame; the
// panels drawn during that frame outside app.js (the timeline, told of the frame's advance
// by the hub) ask the app, `app.panelsDue()`, not a clock of their own, and the app calls
// them on each panels' frame (`app.onPanelFrame`), which need not advance a whole ms. The
// timeline lives in another bundle (the teaching chunk): importing this module there would
// give it a second clock, which picked other frames. One clock per view, not per module, so that two
// <raft-playground> elements on a page do not take each other's frames.

/** Wall ms between the panels' redraws while a cluster runs. */
export const PANELS_EVERY_MS = 500;

/**
 * A clock for one view. `due(now)` is true on the first call of every PANELS_EVERY_MS
 * period: call it once per frame.
 */
export function panelClock() {
  let period = -1;
  return {
    due(now = performance.now()) {
      const p = Math.floor(now / PANELS_EVERY_MS);
      if (p === period) return false;
      period = p;
      return true;
    },
  };
}
