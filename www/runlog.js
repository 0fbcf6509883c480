// A run is a seed, options and the user's actions, each stamped with the exact
// simulated microsecond it happened at. The simulator is deterministic, so the state
// at any moment is "replay the actions up to it". RecordedPlayground wraps the wasm
// Playground with the same JS API, records every action that changes the course of
// the run, keeps periodic checkpoints (Playground clones) and can jump to any
// position of the run: that is time travel. Acting in the past forks the run: the
// old future is discarded.
//
// A position is { us, k }: simulated time in µs and the number of recorded actions
// applied. Frame chunking does not matter: advancing by 16 ms twice runs the same
// events as advancing by 32 ms once, and actions are replayed at their recorded µs.

/** Checkpoint spacing in simulated µs (a jump replays at most this much). */
export const CHECKPOINT_EVERY_US = 4_000_000;
/** Most checkpoints kept; beyond that every other one is dropped (spacing doubles). */
const CHECKPOINTS_MAX = 300;
/**
 * Trace events a recorded playground keeps when its options name no traceCapacity. Every
 * checkpoint is a clone, trace included, and the trace is most of a clone: 1000 events keep
 * a 10-minute run's 151 checkpoints near 22 MB of wasm memory (2000 would take 40 MB).
 * The page shows far fewer; "Export trace" replays the whole run with a full trace.
 */
export const TRACE_CAPACITY_DEFAULT = 1000;
/** The wasm side refuses single advances longer than an hour. */
const ADVANCE_US_MAX = 3_600_000_000;

/** Playground methods that change the run, and so are recorded. */
export const RECORDED_OPS = Object.freeze([
  "propose",
  "crash",
  "restart",
  "timeout",
  "setElectionTimer",
  "partition",
  "heal",
  "cutLink",
  "restoreLink",
  "dropMessage",
  "setNetwork",
  "setOptions",
  "addNode",
  "removeNode",
  "transferLeader",
  "compact",
  "setClientsPaused",
  "stepEvent",
]);

/** Methods that only read, passed through as they are. */
const READ_OPS = ["state", "messagesPacked", "events", "violations", "stats", "kv", "options", "checkLinearizability", "exportTrace"];

const usOf = (pg) => Math.round(pg.timeMs * 1000);

function trimArgs(args) {
  const a = [...args];
  while (a.length && a[a.length - 1] === undefined) a.pop();
  return JSON.parse(JSON.stringify(a));
}

/**
 * Makes a Playground class that records its runs. `hub` (optional) hears about every
 * playground made and every change: hub.created(rp), hub.changed(rp, why).
 */
export function recordingClass(Real, hub = {}) {
  return class Recorded extends RecordedPlayground {
    constructor(options) {
      super(Real, options, hub);
    }
  };
}

export class RecordedPlayground {
  constructor(Real, options, hub = {}) {
    this.Real = Real;
    this.hub = hub;
    this.#start(options ?? {});
    hub.created?.(this);
  }

  #start(options) {
    // Protocol settings that are not constructor options go through setProtocol.
    const { fastBacktrack, maxEntriesPerAppend, ...ctorOptions } = options;
    const real = new this.Real({ traceCapacity: TRACE_CAPACITY_DEFAULT, ...ctorOptions });
    const protocol = {};
    if (fastBacktrack !== undefined) protocol.fastBacktrack = fastBacktrack;
    if (maxEntriesPerAppend !== undefined) protocol.maxEntriesPerAppend = maxEntriesPerAppend;
    if (Object.keys(protocol).length) {
      try {
        real.setProtocol(protocol);
      } catch (e) {
        real.free?.();
        throw e;
      }
    }
    this.real?.free?.();
    this.real = real;
    // The options as given, with the seed made explicit: enough to rebuild the run.
    this.given = JSON.parse(JSON.stringify({ ...options, seed: real.seed }));
    this.actions = [];
    this.k = 0;
    this.endUs = 0;
    this.checkpoints = [{ us: 0, k: 0, pg: real.clone() }];
    this.watch = null;
  }

  // --- the Playground API ------------------------------------------------------

  get seed() {
    return this.real.seed;
  }
  get timeMs() {
    return this.real.timeMs;
  }
  get eventSeq() {
    return this.real.eventSeq;
  }
  /** Simulated time in whole µs. */
  get timeUs() {
    return usOf(this.real);
  }

  /**
   * Runs simulated time forward by `ms`, replaying recorded actions on the way (after
   * a jump into the past). Stops early if a watch (see `watchUntil`) fires.
   */
  advance(ms) {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return this.real.advance(ms); // throws the wasm side's error
    const target = this.timeUs + Math.round(ms * 1000);
    const n = this.#runTo(target, Infinity);
    this.hub.changed?.(this, "advance");
    return n;
  }

  free() {
    for (const c of this.checkpoints) c.pg.free?.();
    this.checkpoints = [];
    this.real?.free?.();
    this.real = null;
  }

  clone() {
    return this.real.clone();
  }

  // --- positions and time travel ---------------------------------------------

  /** Where the run is now. */
  position() {
    return { us: this.timeUs, k: this.k };
  }

  /** The furthest simulated time this run has reached (its end, if we are in the past). */
  get endTimeUs() {
    return Math.max(this.endUs, this.timeUs);
  }

  /** True when recorded actions lie ahead (we are in the past of the run). */
  get inPast() {
    return this.timeUs < this.endUs || this.k < this.actions.length;
  }

  /**
   * Jumps to position `{ us, k }` (k defaults to every action recorded up to `us`).
   * Restores the nearest checkpoint at or before it and replays from there.
   */
  seek(pos) {
    const us = Math.max(0, Math.round(pos.us));
    const k = pos.k ?? this.#countUpTo(us);
    const here = this.position();
    let base = null;
    for (const c of this.checkpoints) {
      if (c.us <= us && c.k <= k && (!base || c.us > base.us || (c.us === base.us && c.k > base.k))) base = c;
    }
    const fromHere = here.us <= us && here.k <= k && (!base || here.us >= base.us);
    if (!fromHere) {
      const real = base.pg.clone();
      this.real.free?.();
      this.real = real;
      this.k = base.k;
    }
    this.#runTo(us, k, true);
    this.hub.changed?.(this, "seek");
  }

  #countUpTo(us) {
    let k = 0;
    while (k < this.actions.length && this.actions[k].us <= us) k++;
    return k;
  }

  /**
   * Replays to time `target`, applying recorded actions whose time has come (at most
   * `kMax` of them in all). Takes checkpoints at multiples of CHECKPOINT_EVERY_US.
   */
  #runTo(target, kMax, ignoreWatch = false) {
    let n = 0;
    for (;;) {
      while (this.k < this.actions.length && this.k < kMax && this.actions[this.k].us <= this.timeUs) {
        this.#apply(this.actions[this.k]);
        this.k++;
      }
      const now = this.timeUs;
      if (now >= target) break;
      let next = target;
      if (this.k < this.actions.length && this.k < kMax) next = Math.min(next, this.actions[this.k].us);
      const boundary = (Math.floor(now / CHECKPOINT_EVERY_US) + 1) * CHECKPOINT_EVERY_US;
      next = Math.min(next, boundary, now + ADVANCE_US_MAX);
      if (this.watch && !ignoreWatch) next = Math.min(next, (Math.floor(now / 1000) + 1) * 1000);
      if (next > now) n += this.real.advance((next - now) / 1000);
      const t = this.timeUs;
      if (t > this.endUs) this.endUs = t;
      if (t % CHECKPOINT_EVERY_US === 0) this.#checkpoint(t);
      if (this.watch && !ignoreWatch && t % 1000 === 0 && this.#watchFires()) break;
    }
    return n;
  }

  #checkpoint(us) {
    if (this.checkpoints.some((c) => c.us === us && c.k === this.k)) return;
    // Only where no action at this same instant is still to come, so the checkpoint is
    // the state "every event and action up to `us`" or before the actions at `us`.
    this.checkpoints.push({ us, k: this.k, pg: this.real.clone() });
    this.checkpoints.sort((a, b) => a.us - b.us || a.k - b.k);
    if (this.checkpoints.length > CHECKPOINTS_MAX) {
      const keep = this.checkpoints.filter((c, i) => i === 0 || i % 2 === 0);
      for (const c of this.checkpoints) if (!keep.includes(c)) c.pg.free?.();
      this.checkpoints = keep;
    }
  }

  #apply(a) {
    try {
      this.real[a.op](...a.args);
    } catch (e) {
      // A recorded action succeeded when it was recorded, and replay is exact, so this
      // means the run was tampered with or the simulator changed.
      throw new Error(`replaying action ${this.actions.indexOf(a) + 1} (${a.op}) failed: ${e.message ?? e}`);
    }
  }

  /**
   * Calls a recorded op on the simulator. If it succeeds, the run forks here (if we
   * were in the past) and the action is recorded at this exact µs.
   */
  act(op, args) {
    if (!RECORDED_OPS.includes(op)) throw new Error(`not a recorded action: ${op}`);
    const us = this.timeUs;
    const result = this.real[op](...args);
    const a = { us, op, args: trimArgs(args) };
    if (this.inPast) {
      // The action has happened on the real simulator already; the recorded future
      // from this position on is now wrong, so drop it.
      const t = this.timeUs;
      this.actions.length = this.k;
      this.checkpoints = this.checkpoints.filter((c) => {
        const ok = c.us < us || (c.us === us && c.k <= this.k);
        if (!ok) c.pg.free?.();
        return ok;
      });
      this.endUs = t;
    }
    this.actions.push(a);
    this.k = this.actions.length;
    if (this.timeUs > this.endUs) this.endUs = this.timeUs;
    this.hub.changed?.(this, "act", a);
    return result;
  }

  // --- watches (guided scenarios) --------------------------------------------

  /**
   * While set, `advance` moves in 1 ms steps of simulated time (on the absolute ms
   * grid) and stops at the first whole ms where `test(state)` holds, then calls
   * `done`. The stop point depends only on the run, not on frame timing.
   */
  watchUntil(test, done) {
    this.watch = { test, done };
  }

  unwatch() {
    this.watch = null;
  }

  #watchFires() {
    const w = this.watch;
    let ok = false;
    try {
      ok = !!w.test(this.real.state());
    } catch {
      ok = false;
    }
    if (ok) {
      this.watch = null;
      w.done?.(this);
    }
    return ok;
  }

  /**
   * Runs forward synchronously until `test(state)` holds at a whole ms (checked first
   * at the current position), for at most `withinMs`. Returns true if it held.
   */
  runUntil(test, withinMs) {
    if (test(this.real.state())) return true;
    const limit = this.timeUs + Math.round(withinMs * 1000);
    let held = false;
    this.watch = { test, done: () => (held = true) };
    this.#runTo(limit, Infinity);
    this.watch = null;
    this.hub.changed?.(this, "advance");
    return held;
  }

  // --- whole runs ----------------------------------------------------------------

  /** The run up to its end: { options, actions: [{us, op, args}], endUs }. */
  run() {
    return {
      options: this.given,
      actions: this.actions.map((a) => ({ ...a, args: a.args })),
      endUs: this.endTimeUs,
    };
  }

  /**
   * Replaces this playground's run with `run` and goes to `at` ({us, k}; default: its
   * end). Throws (leaving this playground as it was) if the run cannot be replayed.
   */
  load(run, at = null) {
    const saved = { real: this.real, given: this.given, actions: this.actions, k: this.k, endUs: this.endUs, checkpoints: this.checkpoints };
    this.real = null;
    try {
      this.#start(run.options);
      this.actions = run.actions.map((a) => ({ us: a.us, op: a.op, args: a.args }));
      this.endUs = 0;
      const endUs = run.endUs ?? (this.actions.length ? this.actions[this.actions.length - 1].us : 0);
      const pos = at ? { us: at.us, k: at.k ?? this.#countUpTo(at.us) } : { us: endUs, k: this.actions.length };
      this.#runTo(pos.us, pos.k, true);
      // Make sure the recorded actions up to the end are all replayable.
      if (this.k < this.actions.length && this.actions[this.k].us < pos.us) throw new Error("the run's actions are out of order");
    } catch (e) {
      this.free();
      Object.assign(this, saved);
      throw e;
    }
    for (const c of saved.checkpoints) c.pg.free?.();
    saved.real.free?.();
    this.endUs = Math.max(this.endUs, run.endUs ?? 0);
    this.hub.changed?.(this, "load");
  }
}

// The Playground's recorded methods, routed through act(); read methods passed on.
for (const op of RECORDED_OPS) {
  RecordedPlayground.prototype[op] = function (...args) {
    return this.act(op, args);
  };
}
for (const op of READ_OPS) {
  RecordedPlayground.prototype[op] = function (...args) {
    return this.real[op](...args);
  };
}
