// Wires the toolbar and the cluster settings to actions, and keeps their labels
// in step with the view. Every control is a real <button>/<input> with a label,
// so all of it is reachable by keyboard; Space toggles play/pause anywhere else, and
// single keys (RaftScope's, where it has them) act on the cluster: KEYS below. The
// "Key shortcuts" box turns the letters off (speech input can type them by accident).

/** Single-key shortcuts: key -> action name (see app.js actions). */
export const KEYS = Object.freeze({
  s: "step",
  c: "request",
  h: "heal",
  r: "restartLeader",
  a: "timeoutAll",
  t: "spreadTimers",
  l: "logReplication",
  b: "restartAll",
});

/** Slider position (0..3) to speed (1/1000 .. 1), on a log scale. */
export function sliderToSpeed(v) {
  return Math.pow(10, Number(v) - 3);
}

/** Speed to slider position. */
export function speedToSlider(s) {
  return Math.log10(s) + 3;
}

/** "1×", "1/20×", "1/1000×". */
export function speedLabel(s) {
  if (s >= 0.995) return "real time";
  const d = 1 / s;
  const r = d >= 100 ? Math.round(d / 10) * 10 : d >= 10 ? Math.round(d) : Math.round(d * 10) / 10;
  return `1/${r}×`;
}

/**
 * @param {object} ui references from layout.js
 * @param {object} actions { togglePlay, step, request, heal, setSpeed(s), reset(patch), setNetwork({loss, latency}) }
 * @param {() => object} settings current settings (read, never mutated here)
 * @param {EventTarget} [keyTarget] where Space toggles play (the document for the page;
 *        an element when several playgrounds share a page)
 */
export function attachControls(ui, actions, settings, keyTarget = ui.shell.ownerDocument) {
  const on = (el, ev, f) => el && el.addEventListener(ev, f);
  on(ui.play, "click", () => actions.togglePlay());
  on(ui.step, "click", () => actions.step());
  on(ui.request, "click", () => actions.request());
  on(ui.heal, "click", () => actions.heal());
  on(ui.speed, "input", () => actions.setSpeed(sliderToSpeed(ui.speed.value)));
  on(ui.size, "change", () => actions.reset({ nodes: Number(ui.size.value) }));
  on(ui.seed, "change", () => {
    const v = Number(ui.seed.value);
    if (Number.isSafeInteger(v) && v >= 0) actions.reset({ seed: v });
    else ui.seed.value = String(settings().seed);
  });
  on(ui.newSeed, "click", () => actions.reset({ seed: actions.freshSeed() }));
  on(ui.reset, "click", () => actions.reset({}));
  on(ui.preVote, "change", () => actions.reset({ preVote: ui.preVote.checked }));
  on(ui.checkQuorum, "change", () => actions.reset({ checkQuorum: ui.checkQuorum.checked }));
  const net = () => actions.setNetwork({ loss: Number(ui.loss.value), latency: Number(ui.latency.value) });
  on(ui.loss, "change", net);
  on(ui.latency, "change", net);
  on(ui.loss, "input", () => (ui.lossOut.value = `${Math.round(ui.loss.value * 100)}%`));
  on(ui.latency, "input", () => (ui.latencyOut.value = `${ui.latency.value} ms`));

  const keydown = (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.composedPath ? e.composedPath()[0] : e.target;
    const tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (["input", "select", "textarea", "button", "a"].includes(tag) || t?.closest?.(".node, .node-menu")) return;
    if (e.key === " ") {
      e.preventDefault();
      actions.togglePlay();
      return;
    }
    // ? (RaftScope's help key): the list of keys, read out with the box that turns them off.
    if (e.key === "?" && ui.keys?.checked && ui.keys.getClientRects().length) {
      e.preventDefault();
      ui.keys.scrollIntoView({ block: "center" });
      ui.keys.focus();
      return;
    }
    const action = KEYS[e.key.toLowerCase()];
    // A held key acts once, not at the keyboard's repeat rate.
    if (action && !e.repeat && ui.keys?.checked !== false && actions[action]) {
      e.preventDefault();
      actions[action]();
    }
  };
  keyTarget.addEventListener("keydown", keydown);

  /** Brings the controls in line with the current settings and play state. */
  function sync(s, playing) {
    ui.play.textContent = playing ? "Pause" : "Play";
    ui.play.setAttribute("aria-pressed", playing ? "true" : "false");
    ui.speed.value = String(speedToSlider(s.speed));
    ui.speedOut.value = speedLabel(s.speed);
    ui.size.value = String(s.nodes);
    ui.seed.value = String(s.seed);
    ui.loss.value = String(s.loss);
    ui.lossOut.value = `${Math.round(s.loss * 100)}%`;
    ui.latency.value = String(s.latency);
    ui.latencyOut.value = `${s.latency} ms`;
    ui.preVote.checked = s.preVote;
    ui.checkQuorum.checked = s.checkQuorum;
  }
  return { sync, detach: () => keyTarget.removeEventListener("keydown", keydown) };
}
