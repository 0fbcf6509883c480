// The static server (`npm start`, the browser tests) and the built site (`npm run build`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** A raw GET (no URL normalisation, so `..` reaches the server as sent). */
function get(base, path) {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ hostname, port, path, method: "GET" }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

test("the static server serves the page, wasm as application/wasm, and nothing outside its folder", async () => {
  const { server, url } = await serve({ dir: root, port: 0, quiet: true });
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const wasm = await get(url, "/www/pkg/raft_playground_bg.wasm");
    assert.equal(wasm.status, 200);
    assert.equal(wasm.type, "application/wasm");
    assert.deepEqual(wasm.body.subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]));
    const js = await get(url, "/www/pkg/raft_playground.js");
    assert.match(js.type, /^text\/javascript/);
    if (existsSync(`${root}index.html`)) {
      const index = await get(url, "/");
      assert.equal(index.status, 200);
      assert.match(index.type, /^text\/html/);
    }
    assert.equal((await get(url, "/no/such/file.js")).status, 404);
    for (const path of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/www/..%2f..%2f..%2fetc/passwd", "/.git/HEAD", "/www/%2e%2e/.ci/run"]) {
      const r = await get(url, path);
      assert.ok(r.status === 403 || r.status === 404, `${path} -> ${r.status}`);
      assert.doesNotMatch(r.body.toString(), /root:|ref:|set -euo/);
    }
  } finally {
    server.close();
  }
});

test("dist/raft-playground.html is self-contained", { skip: !existsSync(`${root}dist/raft-playground.html`) }, () => {
  const html = readFileSync(`${root}dist/raft-playground.html`, "utf8");
  // No script, stylesheet or module is fetched from a path: everything is inline.
  assert.doesNotMatch(html, /<script[^>]*\bsrc=/i);
  assert.doesNotMatch(html, /<link[^>]*rel=["']stylesheet/i);
  // One inline module holding the whole bundle, lazy parts included: it imports nothing.
  const modules = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(modules.length, 1, "one inline module script");
  assert.doesNotMatch(modules[0], /\bimport\s*\(\s*["'`]|\bfrom\s*["']\.{0,2}\//, "no import of another file");
  assert.match(modules[0], /data:application\/wasm;base64,/);
  const wasm = /<script type="application\/octet-stream" id="raft-playground-wasm">\s*([A-Za-z0-9+/=]+)\s*<\/script>/.exec(html);
  assert.ok(wasm, "the wasm, base64");
  const bytes = Buffer.from(wasm[1], "base64");
  assert.deepEqual(bytes.subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]));
  assert.ok(
    bytes.equals(readFileSync(`${root}www/pkg/raft_playground_bg.wasm`)),
    "the inlined wasm is www/pkg's (if www/pkg was rebuilt since, run npm run build)",
  );
});

// The page bench (`npm run bench`) is a documented command, not a test: these runs check
// only that each of its sections still runs against the built site and reports figures,
// never what the figures are.
const benchCanRun = existsSync(`${root}dist/index.html`) && existsSync(process.env.CHROMIUM ?? "/usr/bin/chromium");

/** Runs bench/page-perf.mjs with `args` and --json; its parsed report. */
function bench(args) {
  const r = spawnSync(process.execPath, [`${root}bench/page-perf.mjs`, "--dist", "--json", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `the bench failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

test("the page bench's first-draw section alone reports a paint time for each load", { skip: !benchCanRun }, () => {
  const r = bench(["--only", "draw", "--loads", "2"]);
  assert.equal(r.size, undefined, "--only draw measures nothing else");
  assert.equal(r.frames9, undefined);
  const d = r.firstDraw;
  assert.equal(d.runs.length, 2);
  assert.equal(d.paintedRuns.length + d.unmeasuredAtLeastRuns.length, 2, "each load is measured or bounded");
  for (const x of [...d.paintedRuns, ...d.unmeasuredAtLeastRuns, ...d.floorRuns]) assert.ok(x > 0 && x < 20_000, `${x} ms`);
});

test("the page bench's frame section alone reports frames and their cost", { skip: !benchCanRun }, () => {
  const r = bench(["--only", "frames", "--seconds", "1"]);
  assert.equal(r.firstDraw, undefined);
  const f = r.frames9;
  assert.ok(f.traceFrames > 0, "frames were traced");
  assert.ok(f.mainThreadCpuMsPerFrameP95 > 0, "a CPU p95");
  assert.deepEqual(r.consoleErrors, []);
});
