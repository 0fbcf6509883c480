#!/usr/bin/env node
// A small static file server for the page, bound to the loopback interface.
//
//   node scripts/serve.mjs [--dir DIR] [--port PORT] [--host HOST]
//
// DIR defaults to the repository root (the page as developed: index.html, www/, www/pkg/);
// `--dir dist` serves the built site. PORT defaults to $PORT or 8080; 0 picks a free port.
// Prints "Serving DIR at http://HOST:PORT/" once listening. Dotfiles (.git) are not served. Used by `npm start` and by the
// browser tests.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** Parses `--name value` pairs. */
function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--") || i + 1 >= argv.length) {
      throw new Error(`serve: bad argument ${a}; usage: serve.mjs [--dir DIR] [--port PORT] [--host HOST]`);
    }
    args[a.slice(2)] = argv[++i];
  }
  return args;
}

/**
 * Starts a static server for `dir`. Resolves to the server and its base URL once listening.
 * Requests outside `dir` are refused; a directory serves its index.html.
 */
export async function serve({ dir, port = 8080, host = "127.0.0.1", quiet = false }) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const wanted = decodeURIComponent(url.pathname);
      let path = normalize(join(root, wanted));
      // Nothing outside the folder, and no dotfiles (.git, .ci) inside it.
      if ((path !== root && !path.startsWith(root + sep)) || /(^|[\\/])\./.test(relative(root, path))) {
        res.writeHead(403).end("forbidden");
        return;
      }
      let info = await stat(path).catch(() => null);
      if (info && info.isDirectory()) {
        path = join(path, "index.html");
        info = await stat(path).catch(() => null);
      }
      if (!info || !info.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        if (!quiet) console.log(`404 ${url.pathname}`);
        return;
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-length": info.size,
        "cache-control": "no-cache",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      createReadStream(path).pipe(res);
    } catch (err) {
      res.writeHead(400).end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const { port: actual } = server.address();
  return { server, url: `http://${host}:${actual}/` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
  const dir = resolve(repo, args.dir ?? ".");
  const port = Number(args.port ?? process.env.PORT ?? 8080);
  const host = args.host ?? "127.0.0.1";
  const { url } = await serve({ dir, port, host });
  console.log(`Serving ${dir} at ${url}`);
  console.log("Press Ctrl+C to stop.");
}
