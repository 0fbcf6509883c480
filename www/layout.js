// Builds the page's DOM skeleton inside a root element (the document's <main>, or a
// shadow root later) and returns references to its parts. Built once; renderers
// then update elements in place.

import { GLYPHS, ROLE_STYLE, glyphSvg } from "./palette.js";
import { VIEW, viewBoxOf } from "./geometry.js";

const LEGEND_MESSAGES = ["vote", "voteYes", "voteNo", "prevote", "prevoteYes", "prevoteNo", "heartbeat", "append", "ack", "nack", "snapshot", "timeoutNow"];
const LEGEND_ROLES = ["follower", "precandidate", "candidate", "leader", "down"];

function legendHtml() {
  const roles = LEGEND_ROLES.map((r) => {
    const s = ROLE_STYLE[r];
    const dash = r === "precandidate" ? ' stroke-dasharray="4 3"' : "";
    return `<li><svg viewBox="-10 -10 20 20" aria-hidden="true"><circle r="8" fill="${s.fill}" stroke="${s.stroke}" stroke-width="2"${dash}/></svg>${s.label}</li>`;
  }).join("");
  const msgs = LEGEND_MESSAGES.map((k) => {
    const g = GLYPHS[k];
    const svg = glyphSvg(k, 2);
    return `<li><svg viewBox="-11 -11 22 22" aria-hidden="true">${svg}</svg>${g.label}</li>`;
  }).join("");
  return `<ul class="legend-roles">${roles}</ul><ul class="legend-msgs">${msgs}</ul>
    <p class="legend-note">The ring around a node drains until its election timeout fires. Log cells: colour = term; solid = committed, dashed = not yet.</p>`;
}

/**
 * @param {HTMLElement|ShadowRoot} root
 * @param {{embed?: boolean}} opts
 */
export function buildLayout(root, { embed = false } = {}) {
  const shell = document.createElement("div");
  shell.className = embed ? "rp embed" : "rp";
  shell.innerHTML = `
  <header class="rp-top">
    <h1 class="rp-title">Raft playground</h1>
    <p data-ref="faultNote" class="rp-faults" hidden></p>
    <p class="rp-intro">A real Raft cluster. Watch a node time out and win an election, send a client request and see it replicate and commit, then drag a node away to split the network.</p>
    <p class="rp-status" aria-live="off"><span data-ref="clock">t = 0.000 s</span><span data-ref="leaderInfo">no leader yet</span></p>
  </header>
  <div class="rp-toolbar" role="toolbar" aria-label="Simulation controls">
    <a data-ref="full" class="rp-full" href="." target="_blank" rel="noopener">open full page ↗</a>
    <button type="button" data-ref="play" class="primary" aria-keyshortcuts="Space">Play</button>
    <button type="button" data-ref="step" title="Process exactly the next event (S)" aria-keyshortcuts="S">Step</button>
    <label class="speed">Speed <input data-ref="speed" type="range" min="0" max="3" step="0.05" aria-describedby="rp-speed-out"><output data-ref="speedOut" id="rp-speed-out"></output></label>
    <button type="button" data-ref="request" title="Send a client request to the leader (C)" aria-keyshortcuts="C">Client request</button>
    <button type="button" data-ref="heal" title="Rejoin all partition groups (H)" aria-keyshortcuts="H">Heal network</button>
    <button type="button" data-ref="spacetimeToggle" aria-pressed="false" title="Show every message on a time line, one lane per node">Space-time</button>
  </div>
  <div class="rp-main">
    <figure class="rp-cluster">
      <div class="rp-view"><svg data-ref="svg" viewBox="${viewBoxOf(VIEW)}" role="group" aria-label="Cluster: nodes, network links and messages in flight">
        <g data-ref="groups"></g><g data-ref="links"></g><g data-ref="messages"></g><g data-ref="nodes"></g>
      </svg></div><div data-ref="viewProbe"></div>
      <div data-ref="msgHooks" hidden></div>
      <canvas data-ref="overlay" class="rp-overlay" aria-hidden="true"></canvas>
      <div data-ref="msgTip" class="msg-tip" role="tooltip" hidden></div>
      <div data-ref="menu" class="node-menu" role="menu" hidden></div>
      <div data-ref="banner" class="rp-banner" role="alert" hidden></div>
      <figcaption class="rp-hint">${
        embed
          ? "Drag a node away to cut it off · click a node or a message"
          : "Drag a node out of the circle to cut it off; drop it on a group to join it. Click a node for actions, a message to drop it."
      }</figcaption>
    </figure>
    <section data-ref="spacetime" class="rp-spacetime" aria-label="Space-time diagram" hidden></section>
    <aside class="rp-side">
      <section class="rp-legend" aria-label="Legend">${legendHtml()}</section>
      <section class="rp-events" role="log" aria-live="polite" aria-labelledby="rp-events-title">
        <h2 id="rp-events-title">What happened</h2>
        <ol data-ref="events" class="events" tabindex="0" aria-label="Event log"></ol>
      </section>
    </aside>
  </div>
  <section class="rp-logs" ${embed ? 'role="group" ' : ""}aria-label="Replicated logs">
    <h2>Logs <small>▲ next index and ▁ match index: the leader's view of each follower</small></h2>
    <div data-ref="logs" class="logs"></div>
  </section>
  <fieldset class="rp-settings">
    <legend>Cluster</legend>
    <label>Nodes <select data-ref="size" aria-label="Cluster size">${[3, 4, 5, 6, 7, 8, 9].map((n) => `<option>${n}</option>`).join("")}</select></label>
    <label>Seed <input data-ref="seed" type="number" min="0" step="1" inputmode="numeric"></label>
    <button type="button" data-ref="newSeed">New seed</button>
    <label>Message loss <input data-ref="loss" type="range" min="0" max="0.5" step="0.01"><output data-ref="lossOut"></output></label>
    <label>Latency <input data-ref="latency" type="range" min="2" max="200" step="1"><output data-ref="latencyOut"></output></label>
    <label class="check"><input data-ref="preVote" type="checkbox"> PreVote</label>
    <label class="check"><input data-ref="checkQuorum" type="checkbox"> CheckQuorum</label>
    <button type="button" data-ref="reset">Reset</button>
    <label class="check"><input data-ref="keys" type="checkbox" checked aria-describedby="rp-keys-help"> Key shortcuts</label>
    <p class="rp-keys-help" id="rp-keys-help"><kbd>Space</kbd> play or pause · <kbd>S</kbd> step · <kbd>C</kbd> client request · <kbd>H</kbd> heal · <kbd>R</kbd> restart the leader · <kbd>A</kbd> every node times out at once (a split vote) · <kbd>T</kbd> spread the election timers out (one clear winner) · <kbd>L</kbd> set up log replication (node 1 leads, most nodes crashed) · <kbd>B</kbd> bring crashed nodes back · <kbd>?</kbd> this list</p>
  </fieldset>`;
  root.appendChild(shell);
  const ui = { shell };
  for (const el of shell.querySelectorAll("[data-ref]")) ui[el.getAttribute("data-ref")] = el;
  return ui;
}
