// Draws the nodes: a circle coloured by role, the id and term, a ring that drains
// as the election timer runs, a crown on the leader, grey when crashed.
// Test hooks: data-node-id, data-role, data-term, data-group on each node's <g>.
//
// The draining ring changes every frame for every node but the leader, so it is drawn
// on the canvas over the SVG (render/canvas.js) with the messages; its grey track, and
// everything else about a node, is SVG and written only when it changed.

import { svgEl, setAttr, setText, setClass, placeAt } from "../dom.js";
import { ROLE_STYLE } from "../palette.js";
import { VIEW, VOTE_LINE } from "../geometry.js";

const R = VIEW.nodeRadius;
/** The leader's crown (SVG path, centred over the node); the painter cuts it out of the canvas. */
export const CROWN = "M-11 4L-13 -7-5.5 -1.5 0 -10 5.5 -1.5 13 -7 11 4Z";
// How far from its centre a message's drawing reaches (its highlight disc and glow), at
// scale 1 (glyphs are drawn as many times larger as the nodes).
const REACH = 16;

export class NodeLayer {
  /**
   * @param {SVGGElement} root
   * @param {import("./canvas.js").ClusterCanvas} [canvas] where the rings are drawn
   */
  constructor(root, canvas) {
    this.root = root;
    this.canvas = canvas ?? null;
    canvas?.layers.push(this);
    /** @type {Map<number, object>} */
    this.items = new Map();
    this.stamp = 0;
  }

  #create(id) {
    const g = svgEl("g", { class: "node", "data-node-id": id, tabindex: "0", role: "button" }, this.root);
    svgEl("circle", { class: "ring-track", r: R + 6 }, g);
    const body = svgEl("circle", { class: "body", r: R }, g);
    const idText = svgEl("text", { class: "node-id", y: "1" }, g);
    setText(idText, id);
    // Spaces between the texts (SVG draws none of them): in the markup the texts read as
    // words, "1 term 2 voted for 5", as in the group's name (#describe), not "1term 2".
    g.append(" ");
    const term = svgEl("text", { class: "node-term", y: "17" }, g);
    g.append(" ");
    const crown = svgEl("path", { class: "crown", d: CROWN, transform: `translate(0 ${-R - 14})` }, g);
    const down = svgEl("path", { class: "down-mark", d: "M-9 -9L9 9M9 -9L-9 9" }, g);
    const vote = svgEl("text", { class: "node-vote", y: R + VOTE_LINE.baseline }, g);
    const item = { g, body, term, crown, down, vote, x: NaN, y: NaN, k: 1, key: "", left: 0, ringColor: "", seen: 0 };
    this.items.set(id, item);
    return item;
  }

  /**
   * @param {object} state Playground.state()
   * @param {Map<number,{x:number,y:number}>} pos where each node is drawn now
   * @param {number} now simulated time of this frame, ms (may run a little ahead of state.timeMs)
   * @param {object|null} [frame] the canvas's frame (ClusterCanvas.begin()): nodes to cut
   *        out of it (they are on top of messages), and the rings
   * @param {(x:number, y:number, r:number) => boolean} [drawnNear] whether anything is drawn
   *        on the canvas within r of (x, y) (only there must a node be cut out)
   */
  update(state, pos, now, frame = null, drawnNear = () => true) {
    const stamp = ++this.stamp;
    // The whole node is drawn larger where the layout says so (geometry.js groupLayout).
    const k = this.canvas?.nodeScale ?? 1;
    for (const n of state.nodes) {
      const it = this.items.get(n.id) ?? this.#create(n.id);
      it.seen = stamp;
      const p = pos.get(n.id);
      if (p && (p.x !== it.x || p.y !== it.y || k !== it.k)) {
        it.x = p.x;
        it.y = p.y;
        it.k = k;
        it.g.setAttribute("transform", placeAt(p, k));
      }
      // Role, term, vote and group change seldom: write them only when one did.
      const key = `${n.role} ${n.up} ${n.term} ${n.votedFor} ${n.group ?? 0}`;
      if (key !== it.key) {
        it.key = key;
        this.#describe(it, n);
      }
      // The ring shows how much of the election timeout is left; a leader has none.
      let left = 0;
      if (n.up && n.role !== "leader" && n.electionTimeoutMs > 0) {
        const elapsed = n.electionElapsedMs + Math.max(0, now - state.timeMs);
        left = Math.max(0, 1 - elapsed / n.electionTimeoutMs);
      }
      it.left = left;
      it.crowned = n.up && n.role === "leader";
    }
    for (const [id, it] of this.items) {
      if (it.seen !== stamp) {
        it.g.remove();
        this.items.delete(id);
      }
    }
    if (frame) this.#frame(frame, drawnNear);
  }

  #frame(f, drawnNear) {
    // Nodes were drawn over the messages when both were SVG: each node (its disc out to
    // the ring's outer edge) and the leader's crown are cut out of the canvas, so the SVG
    // below shows through; only where a message is drawn near, as cutting costs.
    const k = f.k;
    for (const it of this.items.values()) {
      if (drawnNear(it.x, it.y, (R + 8 + REACH) * k)) f.cuts.push(it.x, it.y);
      if (it.crowned && drawnNear(it.x, it.y - (R + 17) * k, (14 + REACH) * k)) f.crowns.push(it.x, it.y - (R + 14) * k);
      if (it.left > 0) {
        f.rings.push(it.x, it.y, it.left);
        f.ringColors.push(it.ringColor);
      }
    }
  }

  /** Adds the rings as drawn in the last frame, as SVG, to `copy` (an export). */
  exportInto(copy) {
    for (const [id, it] of this.items) {
      const g = copy.querySelector(`.node[data-node-id="${id}"]`);
      if (!g || it.left <= 0) continue;
      const ring = svgEl("circle", { class: "ring", r: R + 6, pathLength: "1", transform: "rotate(-90)", stroke: it.ringColor, "stroke-dasharray": `${it.left.toFixed(4)} 1` });
      g.querySelector(".ring-track")?.after(ring);
    }
  }

  #describe(it, n) {
    const role = n.up ? n.role : "down";
    const st = ROLE_STYLE[role] ?? ROLE_STYLE.follower;
    setAttr(it.g, "data-role", n.role);
    setAttr(it.g, "data-term", n.term);
    setAttr(it.g, "data-group", n.group ?? 0);
    setAttr(it.g, "data-up", n.up ? "true" : "false");
    setClass(it.g, "is-down", !n.up);
    setClass(it.g, "is-leader", n.up && n.role === "leader");
    setClass(it.g, "is-pre", n.up && n.role === "precandidate");
    setAttr(it.body, "fill", st.fill);
    setAttr(it.body, "stroke", st.stroke);
    it.ringColor = st.stroke;
    // Who a follower voted for in its current term: one vote per term (§5.2).
    const showVote = n.up && n.votedFor && n.votedFor !== n.id && n.role !== "leader";
    const shown = [n.up ? `term ${n.term}` : "crashed", showVote ? `voted for ${n.votedFor}` : ""];
    setText(it.term, shown[0]);
    setText(it.vote, shown[1]);
    // The name holds what is drawn, in the order drawn (a speech user says what they
    // see), then what is not: the role, the term of a crashed node, a candidate's own vote.
    const more = [n.up ? st.label : `term ${n.term}`, n.votedFor && !showVote ? `voted for ${n.votedFor}` : ""];
    const name = [`Node ${n.id}`, ...shown, ...more].filter(Boolean).join(", ");
    setAttr(it.g, "aria-label", `${name}. Press Enter for actions.`);
  }
}
