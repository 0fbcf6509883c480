// Wires one Playground to one view: layout, renderers, input and the loop.
// All protocol state lives in the Playground (wasm); this module keeps only view
// state: where nodes are drawn, the speed, play/pause, the simulated clock's
// fraction of a millisecond. It does not know about URLs or the document, so it
// can be mounted more than once on a page.

import { buildLayout } from "./layout.js";
import { groupLayout, orderGroups, regionAt, approach, pickView, viewBoxOf, isTall, nodeScale, VIEW } from "./geometry.js";
import { NodeLayer } from "./render/nodes.js";
import { MessageLayer, messageWords, TIP_ENTRIES } from "./render/messages.js";
import { messageUnpacker } from "./inflight.js";
import { ClusterCanvas } from "./render/canvas.js";
import { LinkLayer } from "./render/links.js";
import { GroupLayer } from "./render/groups.js";
import { LogPanel } from "./render/logs.js";
import { panelClock } from "./panelclock.js";
import { EventLog } from "./eventlog.js";
import { Loop } from "./loop.js";
import { attachDrag, regroup } from "./drag.js";
import { attachControls } from "./controls.js";
import { NodeMenu } from "./nodemenu.js";
import { playgroundOptions } from "./url.js";
import { SpaceTime } from "./render/spacetime.js";

/** Command names for client requests: A, B, ..., Z, AA, AB, ... */
export function commandName(k) {
  let s = "";
  let n = k + 1;
  while (n > 0) {
    n--;
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
}

function describeViolation(v) {
  if (typeof v === "string") return v;
  return v.message ?? v.text ?? v.description ?? JSON.stringify(v);
}

function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

/**
 * @param {HTMLElement|ShadowRoot} root where to build the view
 * @param {object} opts
 * @param {Function} opts.Playground the wasm class
 * @param {object} opts.settings page settings (see url.js); seed must be set
 * @param {(settings:object)=>void} [opts.onSettings] called after settings change
 * @param {()=>number} [opts.freshSeed] picks a new seed for "New seed"
 * @param {boolean} [opts.autoplay]
 * @param {boolean} [opts.reducedMotion]
 * @param {EventTarget} [opts.keyTarget] where Space toggles play (default: the document)
 */
export function createApp(root, opts) {
  const { Playground } = opts;
  const settings = { ...opts.settings };
  const reducedMotion = !!opts.reducedMotion;
  const ui = buildLayout(root, { embed: settings.embed });
  // Messages and election-timer rings are drawn on a canvas over the SVG, redrawn each frame.
  const overlay = new ClusterCanvas(ui.svg, ui.overlay, () => loop.requestDraw());
  const nodes = new NodeLayer(ui.nodes, overlay);
  const links = new LinkLayer(ui.links);
  const groupsLayer = new GroupLayer(ui.groups);
  // A new width means a new number of columns: fetch the logs for it at once (this runs
  // between layout and paint, so the panel is redrawn in the frame that resized it).
  const onResize = () => pg && fetchState(true);
  const logs = new LogPanel(ui.logs, settings.embed ? { cellWidth: 23, labelWidth: 72, onResize } : { onResize });
  const events = new EventLog(ui.events);

  let pg = null;
  let state = null;
  // Each frame that fetches the state reads the messages in flight; a message keeps its
  // object from frame to frame (www/inflight.js), so a frame allocates only for new ones.
  const unpackMessages = messageUnpacker();
  let dirty = true;
  let simClock = 0; // simulated ms of the view, running up to 1 ms ahead of the wasm side
  let wasmTime = 0; // simulated ms the wasm side has run to
  let commands = 0;
  let violationShown = false;
  let groupSig = "";
  let quickSig = "";
  let view = VIEW; // wide, or tall in a narrow box: see fitView
  let layout = { nodes: new Map(), regions: [] };
  const drawn = new Map(); // node id -> {x, y} where it is drawn now
  let drag = null; // { id, p } while a node is being dragged
  let wasDragging = false;

  const messages = new MessageLayer(ui.msgHooks, overlay, {
    onDrop: (id) => act(() => dropMessage(id)),
    onHover: (id) => spacetime.highlight(id),
    tip: ui.msgTip,
    requestDraw: () => loop.requestDraw(),
    entriesOf: (id) => pg.state({ logLimit: 0, entryLimit: TIP_ENTRIES }).messages.find((m) => m.id === id)?.entries ?? null,
  });
  const spacetime = new SpaceTime(ui, { requestDraw: () => loop.requestDraw(), shown: !!opts.spacetime, highlightCluster: (id) => messages.highlight(id) });
  const menu = new NodeMenu(ui.menu, (action, id, msg) => act(() => nodeAction(action, id, msg)));

  // A view of the Playground for scripts (window.playground): the same object and
  // methods, but any call but a read also redraws the page.
  const READS = new Set(["state", "events", "messagesPacked"]);
  const scripted = new WeakMap();
  function exposed() {
    if (!pg) return null;
    if (!scripted.has(pg)) {
      const target = pg;
      scripted.set(
        target,
        new Proxy(target, {
          get(t, k) {
            const v = Reflect.get(t, k, t);
            if (typeof v !== "function" || k === "constructor") return v;
            return (...args) => {
              const r = v.apply(t, args);
              if (!READS.has(k)) {
                dirty = true;
                loop.requestDraw();
              }
              return r;
            };
          },
        }),
      );
    }
    return scripted.get(pg);
  }

  function makePlayground() {
    // Build the new one first: if the options are refused, the old one stays usable.
    const next = new Playground(playgroundOptions(settings));
    pg?.free?.();
    pg = next;
    state = pg.state({ logLimit: 0, entryLimit: 0 });
    simClock = wasmTime = state.timeMs;
    dirty = false;
    logsStale = true;
    logsShown = false;
    commands = 0;
    violationShown = false;
    groupSig = "";
    drawn.clear();
    events.clear();
    // What the first moments show (rings draining, nothing else) needs saying.
    const [lo, hi] = pg.options().electionTimeoutMs;
    events.add(`${state.nodes.length} nodes start as followers in term 0. Each waits a random ${lo}-${hi} ms (the ring around it) to hear from a leader; the first to time out stands for election.`, 0, "start");
    ui.banner.hidden = true;
    const faults = settings.faults ?? [];
    ui.faultNote.hidden = faults.length === 0;
    ui.faultNote.textContent = faults.length ? `Raft deliberately broken: ${faults.join(", ")}` : "";
    relayout(true);
  }

  // The log panel changes the DOM the most and a reader cannot follow it faster than
  // a few times a second, so while running, logs are fetched and drawn (and the event log
  // pulled) only on the frames panelclock.js picks, with the timeline's; other frames ask
  // state() for no log entries at all. No frame needs the entries messages carry, only
  // their number (entryLimit: 0). Nor are they drawn while the panel is out of view (below
  // the fold of a laptop's screen, the full page's usual case) and the cluster runs: that
  // halves the panels' frame. Scrolled into view, the panel is drawn on the next frame.
  // Paused, it is drawn wherever it is (a frame then comes only with an action), and before
  // the page is printed, so that a whole-page picture shows one moment throughout.
  let logsStale = true;
  let logsShown = false; // the log panel shows this playground (drawn since it came into view)
  let logsInView = true; // until the observer says otherwise
  if (typeof IntersectionObserver === "function") {
    new IntersectionObserver((entries) => {
      const inView = entries[entries.length - 1].isIntersecting;
      if (inView === logsInView) return;
      logsInView = inView;
      if (inView && logsStale) {
        logsShown = false;
        loop.requestDraw();
      }
    }).observe(ui.logs);
  }
  const win = ui.logs.ownerDocument.defaultView;
  const beforePrint = () => {
    if (pg && logsStale) fetchState(true);
  };
  win?.addEventListener("beforeprint", beforePrint);
  const clock = panelClock();
  // Whether the frame being drawn redraws the panels: decided at its start, so that the
  // panels told of its advance (the timeline) draw in the same frame as the rest; false
  // between frames, so that an action while running waits for the next panel frame.
  let panelFrame = false;
  /** Called on each panels' frame (see onPanelFrame below). */
  const panelListeners = [];

  function fetchState(withLogs = true) {
    // The messages come packed (www/inflight.js): as JSON they were most of the cost.
    state = pg.state({ logLimit: withLogs ? logs.logLimit : 0, entryLimit: 0, messageLimit: 0 });
    state.messages = unpackMessages(pg.messagesPacked());
    if (withLogs) {
      logs.update(state);
      logsStale = false;
      logsShown = true;
    } else {
      logsStale = true;
    }
    dirty = false;
    wasmTime = state.timeMs;
    if (simClock < wasmTime) simClock = wasmTime;
    relayout(false);
  }

  // Recomputes where nodes should be when the partition groups change.
  function relayout(snap) {
    // Most fetches change no group: a cheap check first.
    let quick = "";
    for (const n of state.nodes) quick += `${n.id}:${n.group ?? 0},`;
    if (quick === quickSig && !snap) return;
    quickSig = quick;
    const byGroup = new Map();
    for (const n of state.nodes) {
      const g = n.group ?? 0;
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g).push(n.id);
    }
    const groups = [...byGroup.values()].map((g) => g.sort((a, b) => a - b));
    const sig = groups.map((g) => g.join(",")).sort().join("|");
    if (sig === groupSig && !snap) return;
    groupSig = sig;
    const ordered = groups.length === 1 ? groups : orderGroups(groups, (id) => drawn.get(id), isTall(view) ? "y" : "x");
    layout = groupLayout(ordered, view);
    overlay.nodeScale = nodeScale(layout.nodeRadius);
    for (const [id, p] of layout.nodes) {
      if (!drawn.has(id) || snap || reducedMotion) drawn.set(id, { x: p.x, y: p.y });
    }
  }

  // Turns the view tall in a box where that draws the cluster larger (a phone), wide
  // again where not, and draws the wide view's nodes larger in a box that draws it small;
  // the nodes glide to their places in the new view (on the first layout they start
  // there). A resize observer calls it after layout and before paint, the first time as
  // soon as the view is laid out, so no frame shows the wrong one and nothing forces a
  // layout. It watches an empty block beside the SVG's wrapper (the figure's width, and a
  // height that turning the view does not change): were it the figure, which the turn
  // makes taller, or anything as shallow as the SVG (render/canvas.js watches that), the
  // browser would report the size change it could not deliver in the same frame as an
  // error on the page.
  let fitted = false; // the view was fitted to the page's first layout
  function fitView(entries) {
    const first = !fitted;
    fitted = true;
    const max = parseFloat(getComputedStyle(ui.svg).maxHeight);
    const next = pickView(entries[entries.length - 1].contentRect.width, Number.isFinite(max) ? max : Infinity);
    if (next === view) return;
    view = next;
    ui.svg.setAttribute("viewBox", viewBoxOf(view));
    overlay.setView(view);
    if (!pg) return;
    groupSig = quickSig = "";
    // Fitted to the first layout, before its paint, nodes start where the view puts them.
    relayout(first);
    loop.requestDraw();
  }
  const viewWatch = new ResizeObserver(fitView);
  viewWatch.observe(ui.viewProbe);

  function currentGroups() {
    return layout.regions.map((r) => [...r.members]);
  }

  // One frame: run simulated time forward (if playing), then draw.
  function frame(wallDt, running) {
    if (!pg) return false;
    panelFrame = !running || (logsInView && !logsShown) || clock.due();
    try {
      return drawFrame(wallDt, running);
    } finally {
      panelFrame = false;
    }
  }

  function drawFrame(wallDt, running) {
    if (running) {
      simClock += wallDt * settings.speed;
      const whole = Math.floor(simClock - wasmTime);
      if (whole >= 1) {
        // No event processed means nothing changed but the clock: keep the snapshot.
        if (pg.advance(whole) !== 0) dirty = true;
        wasmTime += whole;
      }
    }
    const logsDue = panelFrame && (logsInView || !running);
    const fetched = dirty || (logsStale && logsDue);
    if (fetched) fetchState(logsDue);
    let moving = false;
    let moved = false;
    for (const [id, p] of layout.nodes) {
      const d = drawn.get(id);
      if ((drag && drag.id === id) || (d.x === p.x && d.y === p.y)) continue;
      moved = true;
      if (!approach(d, p, wallDt)) moving = true;
    }
    const pos = drawn;
    if (drag) pos.set(drag.id, { ...drag.p });
    const now = Math.min(simClock, wasmTime + 1);
    // Regions and links change only when nodes move or the partition does.
    if (moved || fetched || drag || wasDragging) {
      groupsLayer.update(layout.regions, state.nodes.length, !!drag, overlay.nodeScale);
      links.update(state.nodes, pos);
    }
    wasDragging = !!drag;
    const canvasFrame = overlay.begin();
    messages.update(state, pos, now, canvasFrame);
    nodes.update(state, pos, now, canvasFrame, (x, y, r) => messages.drawnNear(x, y, r)); // over the messages, as in the SVG
    if (canvasFrame) overlay.end();
    spacetime.update(pg, state, now);
    events.pull(pg, state, panelFrame);
    // The clock and leader line change with the panels too (while running, twice a second),
    // and so do the panels outside this module (the timeline): told here, as a frame that
    // advances no whole ms (most, at the slower speeds) tells the hub nothing.
    if (panelFrame) {
      status();
      for (const f of panelListeners) f();
    }
    if (state.violations && state.violations.length && !violationShown) {
      violationShown = true;
      setPlaying(false);
      ui.banner.hidden = false;
      ui.banner.textContent = `Safety violation: ${state.violations.map(describeViolation).join("; ")}`;
    }
    return moving || !!drag;
  }

  function status() {
    const clock = `t = ${(Math.floor(simClock / 10) / 100).toFixed(2)} s`;
    if (ui.clock.textContent !== clock) ui.clock.textContent = clock;
    const l = state.nodes.find((n) => n.id === state.leader);
    const info = l ? `leader: node ${l.id}, term ${l.term}` : "no leader";
    if (ui.leaderInfo.textContent !== info) ui.leaderInfo.textContent = info;
  }

  // Runs a user action, reports a thrown Error in the event log, then redraws.
  function act(f) {
    try {
      f();
    } catch (e) {
      events.add(errorText(e), state ? state.timeMs : 0, "error");
    }
    dirty = true;
    loop.requestDraw();
  }

  function request(via) {
    const cmd = commandName(commands);
    if (via === undefined) pg.propose(cmd);
    else pg.propose(cmd, via);
    commands++;
  }

  function dropMessage(id) {
    const m = state.messages.find((x) => x.id === id);
    pg.dropMessage(id);
    if (m) events.add(`you dropped ${messageWords(m)} on its way to node ${m.to}`, state.timeMs, "user");
  }

  function partition(groups) {
    if (groups.length <= 1) pg.heal();
    else pg.partition(groups);
  }

  function nodeAction(action, id, msg) {
    switch (action) {
      case "crash":
        pg.crash(id);
        break;
      case "restart":
        pg.restart(id);
        break;
      case "timeout":
        pg.timeout(id);
        break;
      case "request":
        request(id);
        break;
      case "transfer":
        pg.transferLeader(id);
        break;
      case "compact":
        pg.compact(id);
        break;
      case "drop": {
        // As they are now: the last frame's snapshot may list one delivered since.
        const ids = pg.state({ logLimit: 0, entryLimit: 0 }).messages.filter((m) => m.to === id).map((m) => m.id);
        for (const m of ids) pg.dropMessage(m);
        // The playground's own event log leaves drops out (loss drops them by the hundred).
        events.add(`you dropped ${ids.length === 1 ? "the message" : `the ${ids.length} messages`} on their way to node ${id}`, state.timeMs, "user");
        break;
      }
      case "drop-one": {
        // It may have arrived while the menu was open.
        const m = pg.state({ logLimit: 0, entryLimit: 0 }).messages.find((x) => x.id === msg);
        if (!m) {
          events.add(`that message had already reached node ${id}`, state.timeMs, "user");
          break;
        }
        pg.dropMessage(msg);
        events.add(`you dropped ${messageWords(m)} on its way to node ${id}`, state.timeMs, "user");
        break;
      }
      case "isolate":
        partition(regroup(currentGroups(), id, -1));
        break;
      case "rejoin": {
        const groups = currentGroups();
        const biggest = groups.reduce((b, g, i) => (g.length > groups[b].length && !g.includes(id) ? i : b), groups.findIndex((g) => !g.includes(id)));
        partition(regroup(groups, id, biggest));
        break;
      }
    }
  }

  function setPlaying(on) {
    loop.setPlaying(on);
    controls.sync(settings, on);
    if (!on && logsStale) loop.requestDraw();
  }

  function changed() {
    controls.sync(settings, loop.playing);
    opts.onSettings?.({ ...settings });
  }

  const actions = {
    togglePlay: () => {
      if (!loop.playing) {
        simClock = Math.max(simClock, state.timeMs);
        ui.banner.hidden = true;
      }
      setPlaying(!loop.playing);
    },
    step: () =>
      act(() => {
        setPlaying(false);
        // Step to the next event a reader can see: a clock tick that changed nothing
        // is not one (bounded, in case a run is all ticks).
        let d = pg.stepEvent();
        for (let i = 0; i < 1000 && d && / ticked$/.test(d); i++) d = pg.stepEvent();
        fetchState();
        simClock = state.timeMs;
        if (d) events.add(`step: ${d}`, state.timeMs, "step");
      }),
    request: () => act(() => request()),
    heal: () => act(() => partition([state.nodes.map((n) => n.id)])),
    // RaftScope's R, A and B keys: restart the leader, align the election timers (every
    // live node times out now: a split vote, most often), resume every crashed node.
    restartLeader: () =>
      act(() => {
        const l = pg.state({ logLimit: 0, entryLimit: 0 }).leader;
        if (l === null) throw new Error("no leader to restart");
        pg.crash(l);
        pg.restart(l);
      }),
    timeoutAll: () =>
      act(() => {
        const up = pg.state({ logLimit: 0, entryLimit: 0 }).nodes.filter((n) => n.up).map((n) => n.id);
        for (const id of up) pg.timeout(id);
      }),
    // RaftScope's T: spread the election timers out over the timeout range, the soonest
    // first, so one node times out well before the next and most often wins at once.
    spreadTimers: () =>
      act(() => {
        const [lo, hi] = pg.options().electionTimeoutMs;
        const left = (n) => n.electionTimeoutMs - n.electionElapsedMs;
        const nodes = pg
          .state({ logLimit: 0, entryLimit: 0 })
          .nodes.filter((n) => n.up && n.role !== "leader")
          .sort((a, b) => left(a) - left(b) || a.id - b.id);
        nodes.forEach((n, i) => pg.setElectionTimer(n.id, lo + Math.round((i * (hi - lo)) / nodes.length)));
      }),
    // RaftScope's L: a cluster set up to watch log replication. The first member leads, all
    // but one follower are crashed and the leader takes three requests, which it cannot
    // commit without a majority: bring the others back (B) and watch them catch up. Real
    // Raft decides who leads, so this runs the cluster (up to a few seconds) until the
    // first node does: handed leadership if another leads, or first to time out if none.
    logReplication: () =>
      act(() => {
        setPlaying(false);
        const brief = () => pg.state({ logLimit: 0, entryLimit: 0 });
        // The cluster's members (not a removed node), as its leader or first live node has them.
        const s0 = brief();
        const seer = s0.nodes.find((n) => n.id === s0.leader) ?? s0.nodes.find((n) => n.up) ?? s0.nodes[0];
        const ids = [...(seer.voters ?? s0.nodes.map((n) => n.id))].sort((a, b) => a - b);
        if (ids.length < 3) throw new Error("log replication needs a cluster of three members or more");
        const [first, second] = ids;
        for (const n of s0.nodes) if (!n.up && ids.includes(n.id)) pg.restart(n.id);
        pg.heal();
        for (let i = 0; i < 60 && brief().leader !== first; i++) {
          const st = brief();
          if (st.leader === null) {
            if (st.nodes.find((n) => n.id === first).role === "follower") pg.setElectionTimer(first, 0);
          } else {
            try {
              pg.transferLeader(first);
            } catch (e) {
              if (!/already in progress/.test(e.message)) throw e;
            }
          }
          pg.advance(50);
        }
        if (brief().leader !== first) throw new Error(`node ${first} did not win leadership; press L again`);
        for (const id of ids) if (id !== first && id !== second) pg.crash(id);
        for (let k = 0; k < 3; k++) request(first);
        fetchState();
        simClock = state.timeMs;
      }),
    restartAll: () =>
      act(() => {
        const down = pg.state({ logLimit: 0, entryLimit: 0 }).nodes.filter((n) => !n.up).map((n) => n.id);
        for (const id of down) pg.restart(id);
      }),
    setSpeed: (s) => {
      settings.speed = s;
      changed();
    },
    setNetwork: ({ loss, latency }) =>
      act(() => {
        settings.loss = loss;
        settings.latency = latency;
        const o = playgroundOptions(settings);
        pg.setNetwork({ lossRatio: o.lossRatio ?? 0, latencyMs: o.latencyMs });
        changed();
      }),
    reset: (patch) => {
      const old = { ...settings };
      Object.assign(settings, patch);
      try {
        makePlayground();
      } catch (e) {
        Object.assign(settings, old);
        events.add(errorText(e), state ? state.timeMs : 0, "error");
      }
      changed();
      loop.requestDraw();
    },
    freshSeed: () => (opts.freshSeed ? opts.freshSeed() : settings.seed + 1),
  };

  // A frame that throws (a bug) must not leave a page that silently stopped: say so.
  function safeFrame(wallDt, running) {
    try {
      return frame(wallDt, running);
    } catch (e) {
      console.error(e);
      loop.setPlaying(false);
      controls.sync(settings, false);
      ui.banner.hidden = false;
      ui.banner.textContent = `The simulation stopped on an internal error: ${errorText(e)}`;
      return false;
    }
  }

  const loop = new Loop(ui.svg, safeFrame);
  const controls = attachControls(ui, actions, () => settings, opts.keyTarget);

  const detachDrag = attachDrag(ui.svg, {
    onMove: (id, p) => {
      menu.close(false);
      drag = { id, p };
      loop.requestDraw();
    },
    onCancel: () => {
      drag = null;
      loop.requestDraw();
    },
    onDrop: (id, p) => {
      drag = null;
      const groups = currentGroups();
      const target = regionAt(layout.regions, p);
      const from = groups.findIndex((g) => g.includes(id));
      drawn.set(id, { ...p });
      const next = regroup(groups, id, target);
      const key = (gs) => gs.map((g) => g.join(",")).sort().join("|");
      if (target === from || key(next) === key(groups)) {
        loop.requestDraw(); // the partition is unchanged: glide home
        return;
      }
      act(() => partition(next));
    },
    onClick: (id, el) => openMenu(id, el),
  });

  function openMenu(id, el) {
    // As it is now, with its last log entry (a running frame's snapshot has no logs).
    const n = pg.state({ logLimit: 1, entryLimit: 0 }).nodes.find((x) => x.id === id);
    if (!n) return;
    const alone = layout.regions.some((r) => r.members.length === 1 && r.members[0] === id) && layout.regions.length > 1;
    const incoming = state.messages
      .filter((m) => m.to === id)
      .sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.id - b.id)
      .map((m) => ({ id: m.id, label: messageWords(m) }));
    menu.open(n, { alone, leader: state.leader, incoming }, el);
  }

  ui.nodes.addEventListener("keydown", (e) => {
    const g = e.target.closest?.(".node");
    if (!g || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    openMenu(Number(g.getAttribute("data-node-id")), g);
  });

  try {
    makePlayground();
  } catch (e) {
    // Settings the Playground refuses (a hand-edited link): start with the defaults.
    Object.assign(settings, { nodes: 5, loss: 0, latency: 20, faults: [] });
    makePlayground();
    events.add(`could not use these settings (${errorText(e)}); using defaults`, 0, "error");
  }
  controls.sync(settings, false);
  loop.requestDraw();
  if (opts.autoplay !== false && !reducedMotion) setPlaying(true);

  return {
    ui,
    /** The Playground, wrapped so that script calls redraw the view. */
    get playground() {
      return exposed();
    },
    get settings() {
      return { ...settings };
    },
    get playing() {
      return loop.playing;
    },
    get frames() {
      return loop.frames;
    },
    spacetime,
    /** Where message `id` was drawn in the last frame (client coordinates), or null. */
    messagePoint: (id) => messages.point(Number(id)),
    /** True while a frame that redraws the side panels is drawn (panelclock.js). */
    panelsDue: () => panelFrame,
    /** Calls `f` during every frame that redraws the side panels. */
    onPanelFrame: (f) => panelListeners.push(f),
    setSpeed: actions.setSpeed,
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    reset: actions.reset,
    redraw: () => {
      dirty = true;
      loop.requestDraw();
    },
    /** After a jump in time (time travel, a loaded run): show the playground as it is now. */
    resync() {
      fetchState();
      simClock = state.timeMs;
      violationShown = false;
      ui.banner.hidden = true;
      events.clear();
      loop.requestDraw();
    },
    destroy() {
      win?.removeEventListener("beforeprint", beforePrint);
      viewWatch.disconnect();
      loop.destroy();
      controls.detach();
      detachDrag();
      menu.destroy();
      spacetime.destroy();
      messages.destroy();
      overlay.destroy();
      pg?.free?.();
      pg = null;
      ui.shell.remove();
    },
  };
}
