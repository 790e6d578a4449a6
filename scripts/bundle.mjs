#!/usr/bin/env node
// Bundles the frontend into one self-contained ESM file for the gateway image:
// BuildKit runs `node /cachefront/cachefront.mjs` in a container that has no
// node_modules, so every dependency is inlined. Used both on the host
// (`npm run bundle`) and inside the image build (Dockerfile, stage `bundle`).
//
//   node scripts/bundle.mjs [--entry frontend/main.ts] [--outfile dist/cachefront.mjs]
import { build } from "esbuild";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    entry: { type: "string", default: path.join(root, "frontend/main.ts") },
    outfile: { type: "string", default: path.join(root, "dist/cachefront.mjs") },
  },
});
const entry = path.resolve(values.entry);
const outfile = path.resolve(values.outfile);
if (!existsSync(entry)) {
  console.error(`bundle: entry ${entry} does not exist`);
  process.exit(1);
}

// CommonJS dependencies (@grpc/grpc-js, protobufjs, dockerfile-ast) call
// require() for Node built-ins, and esbuild's ESM output turns those into a
// shim that throws unless a `require` is in scope. The banner provides one,
// plus __filename/__dirname. They go on globalThis under a guard, not as
// top-level declarations, so they cannot collide with a module that declares
// its own `require` (esbuild does not see the banner when it renames).
const banner = [
  'import { createRequire as __cachefrontCreateRequire } from "node:module";',
  'import { fileURLToPath as __cachefrontFileURLToPath } from "node:url";',
  'import { dirname as __cachefrontDirname } from "node:path";',
  "globalThis.require ??= __cachefrontCreateRequire(import.meta.url);",
  "globalThis.__filename ??= __cachefrontFileURLToPath(import.meta.url);",
  "globalThis.__dirname ??= __cachefrontDirname(globalThis.__filename);",
].join("\n");

// Chunk names carry content hashes: clear the old ones so they cannot pile up.
rmSync(path.join(path.dirname(outfile), "chunks"), { recursive: true, force: true });

const started = Date.now();
const result = await build({
  // Resolve dependencies from this checkout even for an entry outside it.
  nodePaths: [path.join(root, "node_modules")],
  entryPoints: [entry],
  // Code splitting: the entry's dynamic import() of the converter becomes its
  // own chunk (dist/chunks/), compiled while the first RPCs are in flight.
  outdir: path.dirname(outfile),
  entryNames: path.basename(outfile).replace(/\.mjs$/, ""),
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: { js: banner },
  alias: { "@grpc/proto-loader": path.join(root, "scripts/stubs/grpc-proto-loader.cjs") },
  // Smaller source parses faster at every frontend start; names are kept so
  // the rare stack trace in the daemon log stays readable.
  minify: true,
  keepNames: true,
  // Keep tsconfig-driven behaviour identical on the host and in the image.
  tsconfig: existsSync(path.join(root, "tsconfig.json")) ? path.join(root, "tsconfig.json") : undefined,
  logLevel: "warning",
  metafile: true,
}).catch(() => {
  // esbuild has already printed the errors (logLevel); skip the JS stack.
  process.exit(1);
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.error(
  `bundle: ${path.relative(root, entry)} -> ${path.relative(root, outfile)}` +
    (bytes === undefined ? "" : ` (${(bytes / 1024).toFixed(0)} KiB)`) +
    ` in ${Date.now() - started} ms`,
);
