// Recorded runs against the real wasm: replay is exact whatever the frame chunking,
// jumps land on the same state as a straight run, acting in the past forks, and run
// links survive a round trip while tampered ones are refused with a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./helpers.mjs";
import { recordingClass } from "../../www/runlog.js";
import { encodeRun, decodeRun } from "../../www/share.js";

const { Playground } = await load();
const Recorded = recordingClass(Playground);
const json = (pg) => JSON.stringify(pg.state());

/** Plays a fixed script of actions with the given frame chunks (ms). */
function script(chunks) {
  const rp = new Recorded({ nodes: 5, seed: 31 });
  let k = 0;
  const play = (ms) => {
    for (let done = 0; done < ms; ) {
      const c = Math.min(chunks[k++ % chunks.length], ms - done);
      rp.advance(c);
      done += c;
    }
  };
  play(1500);
  rp.propose("a");
  play(400);
  rp.crash(rp.state().leader);
  rp.setElectionTimer(rp.state().nodes.find((n) => n.up && n.role !== "leader").id, 30);
  play(2500);
  rp.stepEvent();
  rp.propose("b");
  play(1200);
  return rp;
}

test("the same actions give the same state whatever the frame chunking", () => {
  const a = script([16, 17, 1, 50, 3]);
  const b = script([7.25, 33.5, 0.75]);
  assert.equal(a.actions.length, b.actions.length);
  assert.deepEqual(a.actions.map((x) => x.us), b.actions.map((x) => x.us));
  assert.equal(json(a), json(b));
});

test("a jump back and forth lands on the states a straight replay reaches", () => {
  const rp = script([16]);
  const end = json(rp);
  const run = rp.run();
  for (const us of [0, 123_456, 1_500_000, 1_900_000, 4_400_001]) {
    rp.seek({ us });
    const fresh = new Recorded({});
    fresh.load({ ...run, endUs: us }, { us });
    assert.equal(json(rp), json(fresh), `at ${us} µs`);
    fresh.free();
  }
  rp.seek({ us: run.endUs, k: run.actions.length });
  assert.equal(json(rp), end);
});

test("acting in the past forks the run: the old future is gone", () => {
  const rp = script([20]);
  const n = rp.actions.length;
  rp.seek({ us: 1_000_000 });
  assert.ok(rp.inPast);
  rp.timeout(1);
  assert.equal(rp.actions.length, 1);
  assert.equal(rp.actions[0].op, "timeout");
  assert.ok(!rp.inPast);
  assert.ok(n > 1);
});

test("a run link round-trips; tampered links are refused with a reason", () => {
  const rp = script([16]);
  const link = encodeRun(rp.run(), rp.position());
  const back = decodeRun(link);
  const other = new Recorded({});
  other.load(back, back.at);
  assert.equal(json(other), json(rp));
  assert.throws(() => decodeRun(link.slice(0, link.length - 9)), /cut or edited|not hold a run|moment/);
  assert.throws(() => decodeRun("***"), /base64url/);
  const bad = Buffer.from(JSON.stringify({ v: 1, o: { seed: 1 }, a: [[5, "eval", "x"]], t: [5, 1] })).toString("base64url");
  assert.throws(() => decodeRun(bad), /not a known action/);
  // An action that cannot have happened (node 42 of 5) fails on replay, leaving the
  // playground as it was.
  const before = json(other);
  const impossible = decodeRun(Buffer.from(JSON.stringify({ v: 1, o: { seed: 1 }, a: [[5, "crash", 42]], t: [10, 1] })).toString("base64url"));
  assert.throws(() => other.load(impossible, impossible.at), /replaying action 1 \(crash\) failed/);
  assert.equal(json(other), before);
});

test("a checkpointed 10-minute run: any jump replays at most one checkpoint interval", () => {
  const rp = new Recorded({ nodes: 5, seed: 32 });
  for (let i = 0; i < 600; i++) {
    rp.advance(1000);
    if (i % 9 === 0) {
      try {
        rp.propose(`c${i}`);
      } catch {}
    }
  }
  let worst = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    rp.seek({ us: ((i * 7919) % 600) * 1e6 + 3_999_000 });
    worst = Math.max(worst, performance.now() - t0);
  }
  console.log(`# node: worst of 20 jumps in a 10-minute run: ${worst.toFixed(1)} ms, ${rp.checkpoints.length} checkpoints`);
  assert.ok(worst < 200, `worst jump ${worst} ms`);
});
