#!/usr/bin/env node
// Writes the deployable site into dist/ (run after scripts/build-wasm.sh). esbuild bundles and
// minifies the page's modules and CSS:
//
//   dist/index.html                 the page: its CSS inlined (minified; spacetime.css travels
//                                   with the space-time chunk instead), the wasm preloaded
//                                   (<link rel=preload as=fetch>, so it downloads while the
//                                   JS does), and one module, www/main-HASH.js, holding all
//                                   the drawing of the cluster needs; its <main> holds the
//                                   view at time 0 (scripts/prerender.mjs), on screen while
//                                   the module and the wasm download
//   dist/www/teach-HASH.js          chunks loaded by import(): the timeline, share bar and
//   dist/www/tours-HASH.js            tour picker (preloaded with the page; it is in the
//   dist/www/share-HASH.js            first frame); a tour when one is picked; run links,
//   dist/www/spacetime-view-HASH.js   export and import when first used; the space-time
//   dist/www/recording-HASH.js        diagram when it is first shown; recording, which the
//                                   page has in its first view, for <raft-playground>'s tours
//   dist/www/element.js             <raft-playground> (docs/embedding.md), one module, with
//                                   style.css, spacetime.css, teach.css (minified) beside it
//   dist/www/embed-demo.html        the embedding demo, using that element.js
//   dist/www/pkg/                   the wasm, and its JS glue unbundled for scripts (README)
//   dist/raft-playground.html       one self-contained file: the whole bundle (lazy chunks
//                                   included), the CSS and the wasm inlined; opens from disk
//
// Lazy chunks are separate bundles rather than esbuild's code splitting: splitting would move
// the few helpers a chunk shares with the first view (dom.js, palette.js, url.js, runlog.js)
// into extra shared files that the first view must fetch too. Here the first view is exactly
// one file, and a chunk carries its own copy of those helpers (stateless, or state that only
// the chunk's own elements use). A dynamic import() of a chunk's entry module becomes an
// import() of the chunk file; a dynamic import of any other module is an error, so a new one
// is a decision, not an accident.
//
// The wasm-bindgen glue finds its .wasm through `new URL("raft_playground_bg.wasm",
// import.meta.url)`. In a bundle import.meta.url is the bundle's URL (dist/www/...), so the
// expression becomes `new URL("pkg/raft_playground_bg.wasm", import.meta.url)`; in the single
// file it becomes a `data:application/wasm;base64,...` URL read from a
// `<script type="application/octet-stream">` element, which fetch() accepts from file:// too.
//
//   node scripts/make-dist.mjs [--out DIR]

import { build } from "esbuild";
import { cp, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { prerenderApp, PRERENDER_CSS, PRERENDER_GUARD } from "./prerender.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const WWW = join(ROOT, "www");
const GLUE = join(WWW, "pkg/raft_playground.js");
const WASM = join(WWW, "pkg/raft_playground_bg.wasm");
const WASM_URL = /new URL\(\s*(["'])raft_playground_bg\.wasm\1\s*,\s*import\.meta\.url\s*\)/g;
const WASM_ELEMENT_ID = "raft-playground-wasm";
/** The stylesheets, in cascade order (index.html links them in this order). */
const CSS = ["style.css", "spacetime.css", "teach.css"];
/**
 * Stylesheets that travel with a lazy chunk instead of the page's inline CSS: the chunk's
 * entry module declares `const STYLE = "";` and adds STYLE to the document when it is first
 * used; the build writes the minified stylesheet into that constant.
 */
const CHUNK_CSS = new Map([["www/render/spacetime-view.js", "spacetime.css"]]);
/**
 * The chunks loaded by import(): entry module and file name, each bundled on its own (see the
 * top of this file). A chunk may import() only chunks listed before it. `preload`: the page
 * fetches it alongside the first view (main.js waits for the teaching shell before the first
 * frame, so that nothing moves once the cluster is drawn).
 */
const LAZY = [
  { entry: "www/scenarios/index.js", name: "tours" },
  { entry: "www/share.js", name: "share" },
  { entry: "www/recording.js", name: "recording" },
  { entry: "www/teach.js", name: "teach", preload: true },
  { entry: "www/render/spacetime-view.js", name: "spacetime-view" },
];
/** Browsers the bundle is written for: module scripts, private class members, `??=`. */
const TARGET = ["es2022"];

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * An esbuild plugin for the wasm-bindgen glue: `new URL("raft_playground_bg.wasm",
 * import.meta.url)` becomes `replacement`.
 */
function wasmUrl(replacement) {
  return {
    name: "wasm-url",
    setup(b) {
      b.onLoad({ filter: /raft_playground\.js$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const out = source.replace(WASM_URL, () => replacement);
        if (out === source) throw new Error(`make-dist: the wasm URL in ${relative(ROOT, args.path)} was not found`);
        return { contents: out, loader: "js" };
      });
    },
  };
}

/**
 * An esbuild plugin that writes out www/tours.js's list of tour ids and titles, so that the
 * tours themselves (www/scenarios/) are needed only when loadTour() imports them.
 */
function tourList() {
  return {
    name: "tour-list",
    setup(b) {
      b.onLoad({ filter: /[\\/]www[\\/]tours\.js$/ }, async (args) => {
        const { SCENARIOS } = await import(pathToFileURL(join(WWW, "scenarios/index.js")).href);
        const tours = SCENARIOS.map(({ id, title }) => ({ id, title }));
        let source = await readFile(args.path, "utf8");
        const steps = [
          [/^import \{ SCENARIOS \} from "\.\/scenarios\/index\.js";$/m, ""],
          [/^export const TOURS = .*;$/m, `export const TOURS = ${JSON.stringify(tours)};`],
        ];
        for (const [pattern, replacement] of steps) {
          if (!pattern.test(source)) throw new Error(`make-dist: www/tours.js no longer matches ${pattern}`);
          source = source.replace(pattern, () => replacement);
        }
        return { contents: source, loader: "js" };
      });
    },
  };
}

/**
 * An esbuild plugin that writes each CHUNK_CSS stylesheet, minified, into the `STYLE`
 * constant of its chunk's entry module.
 */
function chunkStyles() {
  return {
    name: "chunk-styles",
    setup(b) {
      for (const [entry, sheet] of CHUNK_CSS) {
        const path = join(ROOT, entry);
        b.onLoad({ filter: new RegExp(`${basename(entry).replace(/[.]/g, "\\.")}$`) }, async (args) => {
          if (resolve(args.path) !== path) return undefined;
          const source = await readFile(path, "utf8");
          const pattern = /^const STYLE = "";$/m;
          if (!pattern.test(source)) throw new Error(`make-dist: ${entry} has no line 'const STYLE = "";'`);
          const css = await minifyCss([sheet]);
          return { contents: source.replace(pattern, () => `const STYLE = ${JSON.stringify(css)};`), loader: "js" };
        });
      }
    },
  };
}

/**
 * An esbuild plugin that leaves `import()` of a lazy chunk's entry module as an `import()`
 * of the chunk file (`chunks`: absolute module path -> file name in dist/www/) and refuses
 * any other dynamic import.
 */
function lazyChunks(chunks) {
  return {
    name: "lazy-chunks",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const path = resolve(args.resolveDir, args.path);
        const file = chunks.get(path);
        if (!file) {
          return { errors: [{ text: `make-dist: import("${args.path}") is not a lazy chunk; add it to LAZY in scripts/make-dist.mjs` }] };
        }
        return { path: `./${file}`, external: true };
      });
    },
  };
}

/** Bundles one entry module; returns { code, file } (file: the output's name). */
async function bundle(entry, { outdir, name, plugins, write = true }) {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: "esm",
    target: TARGET,
    minify: true,
    sourcemap: write ? "linked" : false,
    legalComments: "none",
    charset: "utf8",
    outdir: outdir ?? join(ROOT, "dist-tmp"),
    entryNames: name,
    write,
    metafile: true,
    logLevel: "warning",
    plugins,
  });
  const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
  if (outputs.length !== 1) throw new Error(`make-dist: ${entry} gave ${outputs.length} JS outputs`);
  const file = basename(outputs[0]);
  const code = write ? await readFile(join(outdir, file), "utf8") : new TextDecoder().decode(result.outputFiles.find((f) => f.path.endsWith(".js")).contents);
  return { code, file };
}

/** Minified CSS of `files` (under www/), concatenated in order. */
async function minifyCss(files) {
  const source = (await Promise.all(files.map((f) => readFile(join(WWW, f), "utf8")))).join("\n");
  const result = await build({
    stdin: { contents: source, loader: "css", resolveDir: WWW },
    bundle: false,
    minify: true,
    target: ["chrome111", "firefox113", "safari16.4"],
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  return new TextDecoder().decode(result.outputFiles[0].contents).trim();
}

function escapeScript(text) {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/**
 * index.html with its stylesheets replaced by one inline <style>, the development page's
 * modulepreload list dropped, and its module script pointed at `script` (or, when `inline`
 * is given, replaced by that code inline). The wasm preload stays. `pre`: markup for the
 * empty <main id="app"> (the view at time 0), with the guard that hides it on a page opened
 * with other settings.
 */
async function pageHtml({ css, script, inline, preload = [], extraHead = "", pre = "" }) {
  let html = await readFile(join(ROOT, "index.html"), "utf8");
  if (pre) {
    if (!html.includes('<main id="app"></main>')) throw new Error('make-dist: index.html has no empty <main id="app">');
    html = html.replace('<main id="app"></main>', () => `<main id="app">${pre}</main>`);
    extraHead += `<script>${PRERENDER_GUARD}</script>\n`;
    css += PRERENDER_CSS;
  }
  html = html.replace(/<!--[\s\S]*?-->\n?/g, "");
  html = html.replace(/<link\b[^>]*\brel=["']modulepreload["'][^>]*>\n?/gi, "");
  let styled = false;
  html = html.replace(/<link\b[^>]*\brel=["']stylesheet["'][^>]*>\n?/gi, () => {
    if (styled) return "";
    styled = true;
    return `<style>${css}</style>\n`;
  });
  if (!styled) throw new Error("make-dist: index.html links no stylesheet");
  const tag = /<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']www\/main\.js["'][^>]*><\/script>/i;
  if (!tag.test(html)) throw new Error('make-dist: index.html has no <script type="module" src="www/main.js">');
  html = html.replace(tag, () =>
    inline === undefined ? `<script type="module" src="www/${script}"></script>` : `<script type="module">${escapeScript(inline)}</script>`,
  );
  if (inline !== undefined) {
    // No files beside it: drop the wasm preload (the wasm is inlined).
    html = html.replace(/<link\b[^>]*\brel=["']preload["'][^>]*>\n?/gi, "");
  } else if (!/rel=["']preload["'][^>]*raft_playground_bg\.wasm/.test(html)) {
    throw new Error("make-dist: index.html does not preload the wasm");
  }
  const links = preload.map((f) => `<link rel="modulepreload" href="www/${f}">\n`).join("");
  return html.replace(/<\/head>/i, () => `${links}${extraHead}</head>`);
}

const gz = (text) => gzipSync(text, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  const args = process.argv.slice(2);
  const out = resolve(ROOT, args[0] === "--out" && args[1] ? args[1] : "dist");
  if (!(await exists(WASM))) throw new Error("make-dist: www/pkg is missing; run scripts/build-wasm.sh first");
  const outWww = join(out, "www");
  await rm(out, { recursive: true, force: true });
  await mkdir(join(outWww, "pkg"), { recursive: true });
  const report = [];

  // The lazy chunks first: the first view's bundle needs their (content-hashed) names.
  const chunks = new Map();
  const inBundle = [wasmUrl('new URL("pkg/raft_playground_bg.wasm", import.meta.url)'), tourList()];
  const preload = [];
  for (const { entry, name, preload: early } of LAZY) {
    const plugins = [...inBundle, lazyChunks(new Map(chunks)), ...(CHUNK_CSS.has(entry) ? [chunkStyles()] : [])];
    const { code, file } = await bundle(entry, { outdir: outWww, name: `${name}-[hash]`, plugins });
    chunks.set(join(ROOT, entry), file);
    if (early) preload.push(file);
    report.push(`www/${file} ${kb(gz(code))} gz (${early ? "preloaded with the page" : "when wanted"})`);
  }
  const lazy = lazyChunks(chunks);

  // The page's first view: one module.
  const main = await bundle("www/main.js", { outdir: outWww, name: "main-[hash]", plugins: [...inBundle, lazy] });
  const css = await minifyCss(CSS);
  const pageCss = await minifyCss(CSS.filter((f) => ![...CHUNK_CSS.values()].includes(f)));
  const pre = await prerenderApp(ROOT);
  const page = await pageHtml({ css: pageCss, script: main.file, preload, pre });
  await writeFile(join(out, "index.html"), page);
  report.unshift(`www/${main.file} ${kb(gz(main.code))} gz, inline CSS ${kb(gz(pageCss))} gz`, `index.html ${kb(gz(page))} gz, with the view at time 0`);

  // <raft-playground>: a stable name (pages link it), its stylesheets beside it.
  const element = await bundle("www/element.js", { outdir: outWww, name: "element", plugins: [...inBundle, lazy] });
  for (const f of CSS) await writeFile(join(outWww, f), await minifyCss([f]));
  await cp(join(WWW, "embed-demo.html"), join(outWww, "embed-demo.html"));
  report.push(`www/element.js ${kb(gz(element.code))} gz`);

  // The wasm, and the glue as it is for scripts that import it themselves.
  await cp(WASM, join(outWww, "pkg/raft_playground_bg.wasm"));
  await cp(GLUE, join(outWww, "pkg/raft_playground.js"));

  // The single file: everything in one inline module, the wasm in a data: URL.
  const wasmB64 = (await readFile(WASM)).toString("base64");
  const single = await bundle("www/main.js", {
    name: "single",
    write: false,
    plugins: [wasmUrl(`("data:application/wasm;base64,"+document.getElementById(${JSON.stringify(WASM_ELEMENT_ID)}).textContent.trim())`), tourList()],
  });
  const wasmScript = `<script type="application/octet-stream" id="${WASM_ELEMENT_ID}">\n${wasmB64}\n</script>\n`;
  const html = await pageHtml({ css, inline: single.code, extraHead: wasmScript, pre });
  await writeFile(join(out, "raft-playground.html"), html);
  report.push(`raft-playground.html ${kb(html.length)} (${kb(gz(html))} gz)`);

  console.log(`make-dist: ${relative(ROOT, out) || "."}/ written\n  ${report.join("\n  ")}`);
}

/**
 * The modules the development page (the repository's index.html) loads before its first
 * frame, as repository paths, sorted: www/main.js and www/teach.js (which main.js waits for)
 * with their static imports. Its index.html preloads them, so that they arrive together
 * rather than one import level at a time. Developing, www/tours.js imports the tours too.
 */
export async function firstViewModules() {
  const result = await build({
    entryPoints: [join(ROOT, "www/main.js"), join(ROOT, "www/teach.js")],
    bundle: true,
    format: "esm",
    write: false,
    metafile: true,
    outdir: join(ROOT, "dist-tmp"),
    logLevel: "silent",
    plugins: [lazyChunks(new Map(LAZY.map(({ entry, name }) => [join(ROOT, entry), `${name}.js`])))],
  });
  return Object.keys(result.metafile.inputs)
    .map((p) => relative(ROOT, resolve(process.cwd(), p)).split("\\").join("/"))
    .sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
