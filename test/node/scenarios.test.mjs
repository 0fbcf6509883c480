// Every shipped scenario, played step by step the way the guide plays it (actions, then
// run until the condition holds, checked at each whole simulated ms), against the real
// wasm simulator: each condition must hold within its time budget, and the captions must
// render without "undefined", both at the end of each step and in what the guide's caption
// bar shows at every whole ms while a step is still running (or the reader has poked it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./helpers.mjs";
import { recordingClass } from "../../www/runlog.js";
import { SCENARIOS } from "../../www/scenarios/index.js";
import { guideText } from "../../www/guide.js";

const { Playground } = await load();
const Recorded = recordingClass(Playground);

const BROKEN = /undefined|NaN|null/;

/**
 * Plays a scenario; returns [{ step, met, caption, shown, midStep, timeMs }]. `atEnd(rp, ctx)`,
 * if given, sees the playground and the tour's context at the end.
 */
export function play(sc, atEnd = null) {
  const rp = new Recorded(sc.setup.options);
  const ctx = {};
  const out = [];
  sc.steps.forEach((step, i) => {
    const acts = step.actions;
    if (typeof acts === "function") acts(rp, rp.state(), ctx);
    else for (const [op, ...args] of acts ?? []) rp[op](...args);
    // What the caption bar shows before the condition holds, as it runs or once poked.
    const midStep = [];
    const bar = (s) => {
      for (const status of ["running", "poked"]) {
        const { caption, status: line } = guideText(step, status, { now: s, atEnd: null, ctx });
        if (BROKEN.test(caption + line)) midStep.push(`@${s.timeMs} ${status}: ${caption} | ${line}`);
      }
    };
    bar(rp.state());
    let met = true;
    if (step.until) met = rp.runUntil((s) => step.until.test(s, ctx) || (bar(s), false), step.until.withinMs ?? 5000);
    if (met && step.after) step.after(rp, rp.state(), ctx);
    const s = rp.state();
    const caption = typeof step.caption === "function" ? step.caption(s, ctx) : step.caption;
    const shown = guideText(step, met ? "done" : "timeout", { now: s, atEnd: s, ctx }).caption;
    out.push({ step: i + 1, met, caption, shown, midStep, timeMs: s.timeMs, violations: s.violations.length });
  });
  atEnd?.(rp, ctx);
  rp.free();
  return out;
}

for (const sc of SCENARIOS) {
  test(`scenario ${sc.id} plays to its end with every condition met`, () => {
    const steps = play(sc);
    for (const st of steps) {
      if (process.env.SHOW_CAPTIONS) console.log(`${sc.id} ${st.step} @${st.timeMs}: ${st.caption}`);
      assert.ok(st.met, `${sc.id} step ${st.step}: condition not met within its budget`);
      assert.ok(!BROKEN.test(st.caption), `${sc.id} step ${st.step} caption: ${st.caption}`);
      assert.equal(st.shown, st.caption, `${sc.id} step ${st.step}: the guide shows the caption as written`);
      assert.deepEqual(st.midStep, [], `${sc.id} step ${st.step}: the caption bar mid-step`);
      // Prose: sentences start with a capital (or a figure's "(a)"), and the members of
      // the cluster are "servers", as in the paper, not sometimes "nodes" (quotes of the
      // page's own text aside).
      for (const sentence of st.caption.split(/(?<=[.!?]) +/)) {
        assert.match(sentence, /^[A-Z0-9("'\u201c]/, `${sc.id} step ${st.step}: a sentence starts in lower case: ${sentence}`);
      }
      assert.doesNotMatch(st.caption.replace(/"[^"]*"/g, ""), /\bnodes? \d/, `${sc.id} step ${st.step}: "node" in a tour: ${st.caption}`);
    }
    const expectViolation = sc.id === "break-raft" || sc.id === "figure-8-broken";
    assert.equal(steps.at(-1).violations > 0, expectViolation, `${sc.id}: violations at the end`);
  });
}

test("the repairing-logs tours end with the old leader's deleted entries in the event log, as they say", () => {
  for (const id of ["repairing-logs", "conflict-hint"]) {
    let deleted = [];
    let old = null;
    const steps = play(SCENARIOS.find((sc) => sc.id === id), (rp, ctx) => {
      old = ctx.old;
      deleted = rp.events(0).filter((e) => e.kind === "overwrite").map((e) => e.nodes[0]);
    });
    assert.match(steps.at(-1).caption, /the event log says which entries it deleted/);
    assert.ok(deleted.includes(old), `${id}: deletions by ${deleted}, old leader ${old}`);
  }
});
