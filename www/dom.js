// Small DOM helpers that let renderers touch only what changed.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes. */
export function svgEl(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(el);
  return el;
}

/** Creates an HTML element with attributes. */
export function htmlEl(tag, attrs = {}, parent = null) {
  const el = document.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(el);
  return el;
}

const cache = new WeakMap();

/** Sets an attribute only if its value differs from the last one set here. */
export function setAttr(el, name, value) {
  let c = cache.get(el);
  if (!c) {
    c = Object.create(null);
    cache.set(el, c);
  }
  const v = String(value);
  if (c[name] === v) return;
  c[name] = v;
  el.setAttribute(name, v);
}

/** Sets textContent only if it changed. */
export function setText(el, text) {
  const v = String(text);
  if (el.textContent !== v) el.textContent = v;
}

/** An SVG transform that draws a figure centred at p, k times its own size. */
export function placeAt(p, k = 1) {
  return `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})${k === 1 ? "" : ` scale(${k})`}`;
}

/** Toggles a class only if needed. */
export function setClass(el, name, on) {
  if (el.classList.contains(name) !== on) el.classList.toggle(name, on);
}
