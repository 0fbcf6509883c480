// Draws partition groups as translucent regions, each labelled majority or minority,
// so a reader sees at once which side can still elect a leader and commit.

import { svgEl, setAttr, setText, setClass, placeAt } from "../dom.js";

export class GroupLayer {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    /** @type {{g:SVGGElement, circle:SVGCircleElement, label:SVGTextElement}[]} */
    this.items = [];
  }

  /**
   * @param {{x:number,y:number,hw:number,hh:number,members:number[]}[]} regions from geometry.groupLayout
   * @param {number} total cluster size
   * @param {boolean} dragging show the single group too while a node is being dragged
   * @param {number} [k] how many times larger than in the wide view the nodes, and so the
   *   labels, are drawn (geometry.js nodeScale)
   */
  update(regions, total, dragging, k = 1) {
    const show = regions.length > 1 || dragging;
    const list = show ? regions : [];
    while (this.items.length < list.length) {
      const g = svgEl("g", { class: "group" }, this.root);
      const shape = svgEl("rect", { class: "region" }, g);
      const label = svgEl("text", { class: "region-label" }, g);
      const line1 = svgEl("tspan", {}, label);
      const line2 = svgEl("tspan", { class: "region-note", dy: "1.2em" }, label);
      this.items.push({ g, shape, label, line1, line2 });
    }
    while (this.items.length > list.length) this.items.pop().g.remove();
    list.forEach((r, i) => {
      const it = this.items[i];
      setAttr(it.shape, "x", (r.x - r.hw).toFixed(1));
      setAttr(it.shape, "y", (r.y - r.hh).toFixed(1));
      setAttr(it.shape, "width", (2 * r.hw).toFixed(1));
      setAttr(it.shape, "height", (2 * r.hh).toFixed(1));
      setAttr(it.shape, "rx", Math.min(r.hw, r.hh).toFixed(1));
      // Under the region; while one group is shown (a node being dragged), above it: its
      // members fill it down to the view's edge. Scaled about its anchor, with the nodes.
      const y = regions.length === 1 ? r.y - r.hh - 8 * k : r.y + r.hh + 16 * k;
      setAttr(it.label, "transform", placeAt({ x: r.x, y }, k));
      setAttr(it.line1, "x", "0");
      setAttr(it.line2, "x", "0");
      const majority = r.members.length * 2 > total;
      setClass(it.g, "majority", majority);
      setClass(it.g, "minority", !majority);
      if (regions.length === 1) {
        setText(it.line1, "drop outside to cut a node off");
        setText(it.line2, "");
      } else {
        setText(it.line1, `${r.members.length} of ${total}: ${majority ? "majority" : "minority"}`);
        setText(it.line2, majority ? "can elect and commit" : "cannot commit");
      }
    });
  }
}
