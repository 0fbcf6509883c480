// Draws the network links between nodes: faint lines inside a partition group,
// cut (dashed, red) between groups, so a reader sees which messages cannot pass.

import { svgEl, setAttr, setClass } from "../dom.js";

export class LinkLayer {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    /** @type {Map<number, {line:SVGLineElement, ax:number, ay:number, bx:number, by:number, state:number, seen:number}>} */
    this.items = new Map();
    this.stamp = 0;
  }

  /**
   * @param {object[]} nodes state().nodes
   * @param {Map<number,{x:number,y:number}>} pos
   */
  update(nodes, pos) {
    const stamp = ++this.stamp;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i];
        const b = nodes[j];
        const key = a.id * 1000 + b.id;
        let it = this.items.get(key);
        if (!it) {
          it = { line: svgEl("line", { class: "link" }, this.root), ax: NaN, ay: NaN, bx: NaN, by: NaN, state: -1, seen: 0 };
          this.items.set(key, it);
        }
        it.seen = stamp;
        const pa = pos.get(a.id);
        const pb = pos.get(b.id);
        if (pa.x !== it.ax || pa.y !== it.ay || pb.x !== it.bx || pb.y !== it.by) {
          it.ax = pa.x;
          it.ay = pa.y;
          it.bx = pb.x;
          it.by = pb.y;
          setAttr(it.line, "x1", pa.x.toFixed(1));
          setAttr(it.line, "y1", pa.y.toFixed(1));
          setAttr(it.line, "x2", pb.x.toFixed(1));
          setAttr(it.line, "y2", pb.y.toFixed(1));
        }
        const cut = (a.group ?? 0) !== (b.group ?? 0);
        const dead = !a.up || !b.up;
        const st = (cut ? 1 : 0) + (dead ? 2 : 0);
        if (st !== it.state) {
          it.state = st;
          setClass(it.line, "cut", cut);
          setClass(it.line, "dead", dead);
        }
      }
    }
    for (const [k, it] of this.items) {
      if (it.seen !== stamp) {
        it.line.remove();
        this.items.delete(k);
      }
    }
  }
}
