/**
 * Speed self-check for the copier against `cp -a` (not a test: timings are
 * machine-dependent, so nothing asserts them). Generates a Go-build-cache-like
 * tree (256 fan-out dirs, mostly small files, a few large), then times, on the
 * same filesystem with a warm page cache (median of --runs, interleaved):
 *   cp -a (fresh) · copyTree (fresh) · copyTree skipUnchanged re-seed
 *   fingerprintTree · seedCache when unchanged
 *
 *   node scripts/bundle.mjs --entry frontend/extensions/cache-seed/copier/bench.ts --outfile /tmp/copier-bench/bench.mjs
 *   node /tmp/copier-bench/bench.mjs [--files 5000] [--mb 50] [--dir /tmp/copier-bench/data] [--runs 5]
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatBytes } from "./cli.ts";
import { copyTree } from "./copy-tree.ts";
import { fingerprintTree } from "./fingerprint.ts";
import { seedCache } from "./seed.ts";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "5000" },
    mb: { type: "string", default: "50" },
    dir: { type: "string", default: "/tmp/copier-bench/data" },
    runs: { type: "string", default: "5" },
  },
});
const files = Number(values.files);
const totalBytes = Number(values.mb) * 1e6;
const runs = Number(values.runs);
const base = path.resolve(values.dir);
const src = path.join(base, "src");

/** Sizes: 95% small files sharing 30% of the bytes, 5% large ones with the rest (roughly a Go build cache). */
function generate(): number {
  mkdirSync(src, { recursive: true });
  const large = Math.max(1, Math.floor(files * 0.05));
  const smallSize = Math.floor((totalBytes * 0.3) / (files - large));
  const largeSize = Math.floor((totalBytes * 0.7) / large);
  const pool = randomBytes(Math.max(smallSize, largeSize));
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const dir = path.join(src, (i % 256).toString(16).padStart(2, "0"));
    if (i < 256) mkdirSync(dir, { recursive: true });
    const size = i % Math.ceil(files / large) === 0 ? largeSize : smallSize;
    writeFileSync(path.join(dir, `${i.toString(16)}-d`), pool.subarray(0, size));
    bytes += size;
  }
  return bytes;
}

/** Runs each timed job `runs` times, interleaved (a, b, a, b…) so load from others hits both alike; medians. */
async function timeAll(jobs: Array<{ label: string; fn: () => Promise<unknown>; before?: () => Promise<void> }>): Promise<number[]> {
  const samples = jobs.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [i, job] of jobs.entries()) {
      await job.before?.();
      const t = performance.now();
      await job.fn();
      samples[i]!.push(performance.now() - t);
    }
  }
  return samples.map((list, i) => {
    const sorted = list.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`${jobs[i]!.label.padEnd(40)} median ${(median / 1000).toFixed(3)} s  (min ${(sorted[0]! / 1000).toFixed(3)}, max ${(sorted.at(-1)! / 1000).toFixed(3)})`);
    return median;
  });
}

await rm(base, { recursive: true, force: true });
const bytes = generate();
console.log(`tree: ${files} files, ${formatBytes(bytes)}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}`);
execFileSync("sync");

const cpDst = path.join(base, "cp");
const ctDst = path.join(base, "ct");
const clear = (dir: string) => async () => {
  await rm(dir, { recursive: true, force: true });
  execFileSync("sync"); // keep one run's writeback out of the next run's timing
};
const seedDir = path.join(base, "seeded");
await seedCache(src, seedDir);
const [cp, ct, , re] = await timeAll([
  { label: "cp -a (fresh)", fn: async () => execFileSync("cp", ["-a", src, cpDst]), before: clear(cpDst) },
  { label: "copyTree (fresh)", fn: () => copyTree(src, ctDst), before: clear(ctDst) },
  { label: "cp -a onto an identical copy", fn: async () => execFileSync("cp", ["-a", `${src}/.`, cpDst]) },
  { label: "copyTree skipUnchanged, nothing changed", fn: () => copyTree(src, ctDst, { skipUnchanged: true }) },
  { label: "fingerprintTree", fn: () => fingerprintTree(src) },
  { label: "seedCache, seed unchanged (skip)", fn: () => seedCache(src, seedDir) },
]);
console.log(`copyTree fresh / cp -a: ${(ct! / cp!).toFixed(2)}× the time (${((cp! / ct!) * 100).toFixed(0)}% of cp -a's throughput)`);
console.log(`re-seed of an unchanged tree / cp -a: ${(re! / cp!).toFixed(2)}×`);
await rm(base, { recursive: true, force: true });
