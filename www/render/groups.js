// Draws partition groups as translucent regions, each labelled majority or minority,
// so a reader sees at once which side can still elect a leader and commit.

import { svgEl, setAttr, setText, setClass } from "../dom.js";

export class GroupLayer {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    /** @type {{g:SVGGElement, circle:SVGCircleElement, label:SVGTextElement}[]} */
    this.items = [];
  }

  /**
   * @param {{x:number,y:number,r:number,members:number[]}[]} regions from geometry.groupLayout
   * @param {number} total cluster size
   * @param {boolean} dragging show the single group too while a node is being dragged
   */
  update(regions, total, dragging) {
    const show = regions.length > 1 || dragging;
    const list = show ? regions : [];
    while (this.items.length < list.length) {
      const g = svgEl("g", { class: "group" }, this.root);
      const circle = svgEl("circle", { class: "region" }, g);
      const label = svgEl("text", { class: "region-label" }, g);
      this.items.push({ g, circle, label });
    }
    while (this.items.length > list.length) this.items.pop().g.remove();
    list.forEach((r, i) => {
      const it = this.items[i];
      setAttr(it.circle, "cx", r.x.toFixed(1));
      setAttr(it.circle, "cy", r.y.toFixed(1));
      setAttr(it.circle, "r", r.r.toFixed(1));
      setAttr(it.label, "x", r.x.toFixed(1));
      setAttr(it.label, "y", (r.y + r.r + 16).toFixed(1));
      const majority = r.members.length * 2 > total;
      setClass(it.g, "majority", majority);
      setClass(it.g, "minority", !majority);
      setText(
        it.label,
        regions.length === 1
          ? "drop outside to cut a node off"
          : `${r.members.length} of ${total}: ${majority ? "majority" : "minority, cannot commit"}`,
      );
    });
  }
}
