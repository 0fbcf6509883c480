// The hub a RecordedPlayground reports to (pass it to runlog.js's recordingClass): the page
// makes it before the first run starts, and the teaching layer (teach.js, loaded later)
// listens to it.

/** A hub with no listeners yet; `hub.current` is the newest RecordedPlayground. */
export function makeHub() {
  const hub = {
    current: null,
    listeners: [],
    created(rp) {
      hub.current = rp;
      for (const f of hub.listeners) f("created");
    },
    changed(rp, why, action) {
      if (rp !== hub.current) return;
      for (const f of hub.listeners) f(why, action);
    },
  };
  return hub;
}
