#!/usr/bin/env node
// Writes the deployable site into dist/ (run after scripts/build-wasm.sh):
//
//   dist/index.html, dist/www/**      the page as developed, servable by any static host;
//                                     index.html preloads every module and the wasm
//   dist/raft-playground.html         one self-contained file: every ES module, the CSS and
//                                     the wasm inlined; opens from disk (file://)
//
// The single file needs no bundler. Each module stays a module: its relative import
// specifiers are rewritten to bare names ("raft-playground/www/main.js") and an import map
// maps every name to a percent-encoded `data:` URL of the rewritten source. The wasm-bindgen
// glue finds its .wasm through `new URL("raft_playground_bg.wasm", import.meta.url)`; that
// expression is replaced by a `data:application/wasm;base64,...` URL built from a
// `<script type="application/octet-stream">` element holding the wasm in base64, which
// fetch() reads from a file:// page too.
//
//   node scripts/make-dist.mjs [--out DIR]

import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const NAMESPACE = "raft-playground/";

/** Files under www/ that a deployment does not need. */
function shipped(path) {
  const base = posix.basename(path);
  return !(base === ".gitignore" || base === "package.json" || base.endsWith(".d.ts") || base === "README.md");
}

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

/** Copies the page and its modules into `out`. */
async function copySite(out) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const file of await readdir(ROOT)) {
    if (file.endsWith(".html")) await cp(join(ROOT, file), join(out, file));
  }
  for (const file of await walk(join(ROOT, "www"))) {
    const rel = relative(ROOT, file).split("\\").join("/");
    if (!shipped(rel)) continue;
    await mkdir(dirname(join(out, rel)), { recursive: true });
    await cp(file, join(out, rel));
  }
}

// `import x from "./a.js"`, `export * from "./a.js"`, `import "./a.js"` and
// `import("./a.js")` with a relative string literal. The page's modules are plain ES modules
// written by us; this does not try to be a general JS parser.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]+)\2/g;

/** The module's relative imports rewritten to bare names; returns [source, dependencies]. */
function rewriteImports(source, modulePath) {
  const deps = [];
  const rewritten = source.replace(SPECIFIER, (_all, lead, quote, spec) => {
    const target = posix.normalize(posix.join(posix.dirname(modulePath), spec));
    deps.push(target);
    return `${lead}${quote}${NAMESPACE}${target}${quote}`;
  });
  return [rewritten, deps];
}

function dataUrl(mime, bytes) {
  return `data:${mime};base64,${Buffer.from(bytes).toString("base64")}`;
}

function moduleUrl(source) {
  return `data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`;
}

const WASM_ELEMENT_ID = "raft-playground-wasm";

function escapeScript(text) {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/**
 * Builds the single-file page from the repository's index.html: inline styles, an import map
 * holding every module reachable from the page's module scripts, and the wasm inside the glue.
 */
async function singleFile() {
  let html = await readFile(join(ROOT, "index.html"), "utf8");

  // Stylesheets become <style> elements.
  const links = [...html.matchAll(/<link\b[^>]*\brel=["']stylesheet["'][^>]*>/gi)];
  for (const [tag] of links) {
    const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1];
    if (!href || /^[a-z]+:/i.test(href)) continue;
    const css = await readFile(join(ROOT, href), "utf8");
    html = html.replace(tag, () => `<style>\n${css}\n</style>`);
  }
  // Icons and preloads of local files are dropped (the icon is inlined if it is an SVG).
  for (const [tag] of [...html.matchAll(/<link\b[^>]*\brel=["'](icon|modulepreload|preload)["'][^>]*>/gi)]) {
    const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1];
    if (href && href.endsWith(".svg") && /\brel=["']icon["']/i.test(tag) && (await exists(join(ROOT, href)))) {
      const svg = await readFile(join(ROOT, href));
      html = html.replace(tag, () => tag.replace(href, dataUrl("image/svg+xml", svg)));
    } else if (href && !/^[a-z]+:/i.test(href)) {
      html = html.replace(tag, "");
    }
  }

  // Module scripts: external ones become inline entry points; inline ones keep their code.
  const modules = new Map(); // repo-relative path -> rewritten source
  const pending = [];
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  for (const [tag, attrs, body] of scripts) {
    if (!/\btype=["']module["']/i.test(attrs)) continue;
    const src = /\bsrc=["']([^"']+)["']/i.exec(attrs)?.[1];
    let code;
    if (src) {
      const path = posix.normalize(src.replace(/^\.\//, ""));
      code = `import "${NAMESPACE}${path}";`;
      pending.push(path);
    } else {
      const [rewritten, deps] = rewriteImports(body, "index.html");
      code = rewritten;
      pending.push(...deps);
    }
    html = html.replace(tag, () => `<script type="module">\n${escapeScript(code)}\n</script>`);
  }

  const wasmBytes = await readFile(join(ROOT, "www/pkg/raft_playground_bg.wasm"));
  while (pending.length) {
    const path = pending.pop();
    if (modules.has(path)) continue;
    let source = await readFile(join(ROOT, path), "utf8");
    if (posix.basename(path) === "raft_playground.js") {
      const before = source;
      source = source.replace(
        /new URL\(\s*(["'])raft_playground_bg\.wasm\1\s*,\s*import\.meta\.url\s*\)/g,
        () =>
          `("data:application/wasm;base64," + ` +
          `document.getElementById(${JSON.stringify(WASM_ELEMENT_ID)}).textContent.trim())`,
      );
      if (source === before) throw new Error("make-dist: the wasm URL in raft_playground.js was not found");
    }
    const [rewritten, deps] = rewriteImports(source, path);
    modules.set(path, rewritten);
    pending.push(...deps.filter((d) => !modules.has(d)));
  }

  const imports = {};
  for (const [path, source] of [...modules].sort()) {
    imports[NAMESPACE + path] = moduleUrl(source);
  }
  const importMap =
    `<script type="application/octet-stream" id="${WASM_ELEMENT_ID}">\n` +
    `${wasmBytes.toString("base64")}\n</script>\n` +
    `<script type="importmap">\n${escapeScript(JSON.stringify({ imports }))}\n</script>`;
  // The import map must come before the first module script.
  const first = html.search(/<script\b[^>]*\btype=["']module["']/i);
  if (first < 0) throw new Error("make-dist: index.html has no module script");
  html = html.slice(0, first) + importMap + "\n" + html.slice(first);
  return { html, modulePaths: [...modules.keys()].sort() };
}

/**
 * dist/index.html with every module the page imports, and the wasm, announced up front
 * (`modulepreload`, `preload`): the browser fetches them in parallel instead of discovering
 * them one import level at a time.
 */
async function preloadingIndex(modulePaths) {
  let html = await readFile(join(ROOT, "index.html"), "utf8");
  const links = [];
  for (const path of modulePaths) {
    if (!html.includes(`href="${path}"`)) links.push(`<link rel="modulepreload" href="${path}">`);
  }
  if (!html.includes('href="www/pkg/raft_playground_bg.wasm"')) {
    links.push('<link rel="preload" href="www/pkg/raft_playground_bg.wasm" as="fetch" type="application/wasm" crossorigin>');
  }
  if (!links.length) return html;
  const at = html.search(/<\/head>/i);
  if (at < 0) return html;
  return html.slice(0, at) + links.join("\n") + "\n" + html.slice(at);
}

async function main() {
  const args = process.argv.slice(2);
  const out = resolve(ROOT, args[0] === "--out" && args[1] ? args[1] : "dist");
  if (!(await exists(join(ROOT, "www/pkg/raft_playground_bg.wasm")))) {
    throw new Error("make-dist: www/pkg is missing; run scripts/build-wasm.sh first");
  }
  if (!(await exists(join(ROOT, "index.html")))) {
    console.log("make-dist: no index.html yet; copying www/ only");
    await copySite(out);
    return;
  }
  await copySite(out);
  const { html, modulePaths } = await singleFile();
  await writeFile(join(out, "raft-playground.html"), html);
  await writeFile(join(out, "index.html"), await preloadingIndex(modulePaths));
  console.log(
    `make-dist: ${relative(ROOT, out)}/ written; raft-playground.html is ${html.length} bytes ` +
      `(${modulePaths.length} modules inlined)`,
  );
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
