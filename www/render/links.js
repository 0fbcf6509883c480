// Draws the network links between nodes: faint lines inside a partition group,
// cut (dashed, red) between groups, so a reader sees which messages cannot pass.

import { svgEl, setAttr, setClass } from "../dom.js";

export class LinkLayer {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    /** @type {Map<string, SVGLineElement>} */
    this.items = new Map();
  }

  /**
   * @param {object[]} nodes state().nodes
   * @param {Map<number,{x:number,y:number}>} pos
   */
  update(nodes, pos) {
    const seen = new Set();
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i];
        const b = nodes[j];
        const key = `${a.id}-${b.id}`;
        seen.add(key);
        let line = this.items.get(key);
        if (!line) {
          line = svgEl("line", { class: "link" }, this.root);
          this.items.set(key, line);
        }
        const pa = pos.get(a.id);
        const pb = pos.get(b.id);
        setAttr(line, "x1", pa.x.toFixed(1));
        setAttr(line, "y1", pa.y.toFixed(1));
        setAttr(line, "x2", pb.x.toFixed(1));
        setAttr(line, "y2", pb.y.toFixed(1));
        setClass(line, "cut", (a.group ?? 0) !== (b.group ?? 0));
        setClass(line, "dead", !a.up || !b.up);
      }
    }
    for (const [k, line] of this.items) {
      if (!seen.has(k)) {
        line.remove();
        this.items.delete(k);
      }
    }
  }
}
