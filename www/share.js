// Sharing a run: the whole run (options with the seed, timed actions, the moment shown)
// encoded into one URL parameter, a JSON trace of everything that happened, an SVG of
// the current view, and reading a run back from a link or a file.
//
// Link format (parameter `run`): base64url of the JSON
//   { "v": 1, "o": {options}, "a": [[dtUs, op, ...args], ...], "t": [us, k] }
// where dtUs is the time since the previous action in simulated µs and t is the
// position shown (time in µs and how many actions are applied).

import { RECORDED_OPS, RecordedPlayground } from "./runlog.js";

export const RUN_VERSION = 1;
/** Longest `run` parameter accepted (characters). */
const RUN_CHARS_MAX = 200_000;
const ACTIONS_MAX = 20_000;
const TIME_US_MAX = 24 * 3600 * 1e6;

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("it is not base64url text (it may have been cut or edited)");
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  let bin;
  try {
    bin = atob(b64);
  } catch {
    throw new Error("it is not base64url text (it may have been cut or edited)");
  }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("it does not decode to text (it may have been cut or edited)");
  }
}

/** Encodes a run ({options, actions, endUs}) and a position ({us, k}) for a link. */
export function encodeRun(run, at) {
  let prev = 0;
  const a = run.actions.map((x) => {
    const row = [x.us - prev, x.op, ...x.args];
    prev = x.us;
    return row;
  });
  return toBase64Url(JSON.stringify({ v: RUN_VERSION, o: run.options, a, t: [at.us, at.k] }));
}

const isInt = (v, lo, hi) => Number.isSafeInteger(v) && v >= lo && v <= hi;

/**
 * Decodes a `run` parameter (or its decoded JSON object). Returns
 * { options, actions: [{us, op, args}], endUs, at: {us, k} }, or throws an Error whose
 * message says, in plain words, what is wrong with it.
 */
export function decodeRun(input) {
  let obj = input;
  if (typeof input === "string") {
    if (input.length > RUN_CHARS_MAX) throw new Error(`the run is too long (${input.length} characters)`);
    let text = fromBase64Url(input);
    try {
      obj = JSON.parse(text);
    } catch {
      throw new Error("it does not hold a run (not JSON: it may have been cut or edited)");
    }
  }
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new Error("it does not hold a run");
  if (obj.v !== RUN_VERSION) throw new Error(`unknown run version ${JSON.stringify(obj.v)} (expected ${RUN_VERSION})`);
  if (!obj.o || typeof obj.o !== "object" || Array.isArray(obj.o)) throw new Error("its options are missing");
  if (!Array.isArray(obj.a) || obj.a.length > ACTIONS_MAX) throw new Error("its list of actions is missing or too long");
  const actions = [];
  let us = 0;
  obj.a.forEach((row, i) => {
    if (!Array.isArray(row) || !isInt(row[0], 0, TIME_US_MAX)) throw new Error(`action ${i + 1} has no valid time`);
    if (!RECORDED_OPS.includes(row[1])) throw new Error(`action ${i + 1} is not a known action (${JSON.stringify(row[1])})`);
    us += row[0];
    if (us > TIME_US_MAX) throw new Error(`action ${i + 1} lies too far in the future`);
    actions.push({ us, op: row[1], args: row.slice(2) });
  });
  if (!Array.isArray(obj.t) || !isInt(obj.t[0], 0, TIME_US_MAX) || !isInt(obj.t[1], 0, actions.length)) {
    throw new Error("the moment it shows is missing or out of range");
  }
  const at = { us: obj.t[0], k: obj.t[1] };
  return { options: obj.o, actions, endUs: Math.max(at.us, us), at };
}

/** The link that reopens `rp`'s run at its current position. */
export function runLink(rp, base) {
  const url = new URL(base);
  url.search = "";
  url.hash = "";
  const keep = new URLSearchParams(new URL(base).search);
  if (keep.get("embed")) url.searchParams.set("embed", keep.get("embed"));
  if (keep.get("speed")) url.searchParams.set("speed", keep.get("speed"));
  url.searchParams.set("run", encodeRun(rp.run(), rp.position()));
  return url.toString();
}

/**
 * The run up to the current position as a JSON trace: every message sent, delivered
 * or dropped, role and term changes, commits, the user's actions. The run is replayed
 * in a fresh playground that keeps its whole trace, so nothing has scrolled away.
 */
export function exportTrace(rp) {
  const run = rp.run();
  const at = rp.position();
  const full = new RecordedPlayground(rp.Real, { ...run.options, traceCapacity: 1_000_000 });
  try {
    full.load({ ...run, options: { ...run.options, traceCapacity: 1_000_000 } }, at);
    const trace = full.exportTrace();
    return {
      ...trace,
      options: run.options,
      actions: run.actions.slice(0, at.k),
      run: encodeRun(run, at),
    };
  } finally {
    full.free();
  }
}

/** The run inside a file the user imports: a trace from exportTrace, or a bare run. */
export function runFromFile(text) {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new Error("the file is not JSON");
  }
  if (obj && typeof obj.run === "string") return decodeRun(obj.run);
  if (obj && obj.v !== undefined) return decodeRun(obj);
  throw new Error("the file holds no run (expected a trace exported from this page)");
}

/**
 * The cluster view as a standalone SVG document (with the page's styles inlined). What
 * the page draws on the canvas over the SVG (messages in flight, timer rings) is added
 * to the copy as SVG.
 */
export function svgOf(svg) {
  const copy = svg.cloneNode(true);
  // render/canvas.js EXPORT_EVENT: the canvas's layers add what they drew.
  svg.dispatchEvent(new CustomEvent("rp-export-svg", { detail: { copy } }));
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const box = svg.viewBox.baseVal;
  if (box && box.width) {
    copy.setAttribute("width", String(box.width));
    copy.setAttribute("height", String(box.height));
  }
  const rules = [];
  for (const sheet of svg.ownerDocument.styleSheets) {
    let list;
    try {
      list = sheet.cssRules;
    } catch {
      continue;
    }
    for (const r of list) rules.push(r.cssText);
  }
  const style = svg.ownerDocument.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = rules.join("\n");
  copy.insertBefore(style, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** Offers `text` as a file download. */
export function download(doc, name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement("a");
  a.href = url;
  a.download = name;
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
