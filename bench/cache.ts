/**
 * `npm run bench:cache`: portable cache mounts, measured.
 *
 * 1. The copier against `cp -a`, in process, on the same disk: a generated
 *    cache of ~300 MB in 30,000 files; a full seed into an empty cache, a
 *    re-seed with nothing changed, an export.
 * 2. The whole CI cycle on the engine, from a wiped builder: restore a cache
 *    directory → build → save it, with cachefront (`--build-context` seed, one
 *    build, one export build) against the two-extra-builds workaround
 *    (buildkit-cache-dance style: an inject build, the build, an extract
 *    build, plain Dockerfiles on the built-in frontend).
 *
 * Part 2 needs an engine: DOCKER_HOST, else the private engine of
 * integration/engine (started and stopped here), and the cachefront:dev image.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { exportCache, seedCache } from "../frontend/extensions/cache-seed/copier/index.ts";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "30000" },
    mb: { type: "string", default: "300" },
    dir: { type: "string" },
    "skip-engine": { type: "boolean", default: false },
  },
});
const FILES = Number(values.files);
const BYTES = Number(values.mb) * 1e6;
const root = values.dir ? path.resolve(values.dir) : mkdtempSync(path.join(os.tmpdir(), "cachefront-bench-cache-"));
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function generate(dir: string): void {
  const per = Math.floor(BYTES / FILES);
  const chunk = Buffer.alloc(per, 0x61);
  for (let i = 0; i < FILES; i++) {
    const d = path.join(dir, (i % 256).toString(16).padStart(2, "0"));
    if (i < 256) mkdirSync(d, { recursive: true });
    // Distinct content per file (a cache is not one repeated blob).
    chunk.writeUInt32LE(i, 0);
    writeFileSync(path.join(d, `${i.toString(16).padStart(8, "0")}-d`), chunk);
  }
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** A one-step project whose cache mount is seeded from the `ci` build context (unique per cycle). */
function cachefrontProject(work: string, tag: string, variant: string): { dir: string; id: string } {
  const dir = path.join(work, `cachefront-${variant}-${tag}-${Math.random().toString(36).slice(2)}`);
  const id = path.basename(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "Dockerfile"), `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,id=${id},target=/cache,from=ci echo ${id} && find /cache -type f | wc -l > /count && echo new > /cache/built\n`);
  return { dir, id };
}

/** A cycle only counts if the saved directory really holds the cache (the seed plus the build's file). */
function checkSaved(dir: string): void {
  const count = Number(execFileSync("sh", ["-c", `find "${dir}" -type f | wc -l`], { encoding: "utf8" }).trim());
  if (count < FILES + 1) throw new Error(`cycle saved ${count} files in ${dir}, expected ${FILES + 1}`);
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
}

const rows: string[] = [];
const src = path.join(root, "src");
console.error(`bench:cache: generating ${FILES} files (${(BYTES / 1e6).toFixed(0)} MB) in ${src}`);
generate(src);

// 1. copier vs cp -a
const [cpMs] = await time(() => sh("cp", ["-a", src, path.join(root, "cp-copy")]));
const cache = path.join(root, "cache");
mkdirSync(cache);
const [seedMs] = await time(() => seedCache(src, cache));
const [reseedMs, reseed] = await time(() => seedCache(src, cache));
if (!reseed.skipped) throw new Error("unchanged re-seed was not skipped");
const [exportMs] = await time(() => exportCache(cache, path.join(root, "exported")));
const mbps = (ms: number) => `${((BYTES / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;
rows.push(`| cp -a of the tree (reference) | ${cpMs.toFixed(0)} ms (${mbps(cpMs)}) | |`);
rows.push(`| full seed into an empty cache | ${seedMs.toFixed(0)} ms (${mbps(seedMs)}, ${(cpMs / seedMs).toFixed(2)}× cp -a) | ≥ 0.5× cp -a |`);
rows.push(`| re-seed, nothing changed | ${reseedMs.toFixed(0)} ms (${((reseedMs / seedMs) * 100).toFixed(1)}% of a full seed) | < 10% of a full seed |`);
rows.push(`| export of the cache | ${exportMs.toFixed(0)} ms (${mbps(exportMs)}, ${(cpMs / exportMs).toFixed(2)}× cp -a) | ≥ 0.5× cp -a |`);
rmSync(path.join(root, "cp-copy"), { recursive: true, force: true });
rmSync(path.join(root, "exported"), { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });

// 2. the CI cycle on the engine
if (!values["skip-engine"]) rows.push(...(await engineCycle()));

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; ${FILES} files, ${(BYTES / 1e6).toFixed(0)} MB`);
console.log("| step | time | budget |");
console.log("|---|---|---|");
for (const r of rows) console.log(r);
if (!values.dir) rmSync(root, { recursive: true, force: true });

async function engineCycle(): Promise<string[]> {
  let env = { ...process.env };
  let stop: (() => void) | undefined;
  if (spawnSync("docker", ["info"], { env, stdio: "ignore" }).status !== 0) {
    const out = execFileSync("bash", [path.join(repo, "integration/engine/start.sh")], { encoding: "utf8" });
    const host = /DOCKER_HOST=(\S+)/.exec(out)?.[1];
    if (!host) throw new Error("could not start the private engine");
    env = { ...env, DOCKER_HOST: host };
    stop = () => spawnSync("bash", [path.join(repo, "integration/engine/stop.sh")], { stdio: "ignore" });
  }
  try {
    sh("bash", [path.join(repo, "integration/engine/base-images.sh")], env);
    sh("bash", [path.join(repo, "scripts/image.sh")], { ...env, CACHEFRONT_BASE_IMAGE: env.CACHEFRONT_BASE_IMAGE ?? "cachefront/node-runtime:local" });
    const work = path.join(root, "engine");
    mkdirSync(work, { recursive: true });
    const buildx = (args: string[]) => sh("docker", ["buildx", "build", "--progress=quiet", ...args], env);
    const prune = () => sh("docker", ["buildx", "prune", "-af"], env);
    const tag = Date.now().toString(36);

    // Each cycle starts from a wiped builder (a fresh CI runner) with the restored directory.
    const cycles: Record<string, () => void> = {
      "cachefront, 1 build (seed + build + export in one invocation)": () => {
        const { dir, id } = cachefrontProject(work, tag, "one");
        buildx(["--build-context", `ci=${src}`, "--build-arg", `BUILDKIT_CACHE_EXPORT=${id}`, "--output", `type=local,dest=${path.join(dir, "saved")}`, dir]);
        checkSaved(path.join(dir, "saved", id));
      },
      "cachefront, 2 builds (the image build, then an export build)": () => {
        const { dir, id } = cachefrontProject(work, tag, "two");
        buildx(["--build-context", `ci=${src}`, "--output", `type=local,dest=${path.join(dir, "out")}`, dir]);
        buildx(["--build-context", `ci=${src}`, "--build-arg", `BUILDKIT_CACHE_EXPORT=${id}`, "--output", `type=local,dest=${path.join(dir, "saved")}`, dir]);
        checkSaved(path.join(dir, "saved", id));
      },
      "workaround, 3 builds (inject → build → extract, built-in frontend)": () => {
        const wa = path.join(work, `workaround-${tag}`);
        mkdirSync(wa, { recursive: true });
        const waId = `bench-wa-${tag}`;
        // As buildkit-cache-dance does: a value that changes every run forces the inject
        // and extract steps to run (--no-cache would also empty the cache mount).
        const nonce = `${Date.now()}-${Math.random()}`;
        writeFileSync(path.join(wa, "inject.Dockerfile"), `FROM busybox\nARG NONCE\nRUN --mount=type=cache,id=${waId},target=/cache --mount=type=bind,source=.,target=/dance echo $NONCE && cp -p -R /dance/. /cache/\n`);
        writeFileSync(path.join(wa, "build.Dockerfile"), `FROM busybox\nRUN --mount=type=cache,id=${waId},target=/cache echo ${waId} && find /cache -type f | wc -l > /count && echo new > /cache/built\n`);
        writeFileSync(path.join(wa, "extract.Dockerfile"), `FROM busybox AS x\nARG NONCE\nRUN --mount=type=cache,id=${waId},target=/cache echo $NONCE && mkdir -p /out && cp -p -R /cache/. /out/\nFROM scratch\nCOPY --from=x /out /\n`);
        buildx(["-f", path.join(wa, "inject.Dockerfile"), "--build-arg", `NONCE=${nonce}`, "--output", "type=cacheonly", src]);
        buildx(["-f", path.join(wa, "build.Dockerfile"), "--output", `type=local,dest=${path.join(wa, "out")}`, wa]);
        buildx(["-f", path.join(wa, "extract.Dockerfile"), "--build-arg", `NONCE=${nonce}`, "--output", `type=local,dest=${path.join(wa, "saved")}`, wa]);
        checkSaved(path.join(wa, "saved"));
      },
    };
    const times: Record<string, number[]> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, cycle] of Object.entries(cycles)) {
        prune();
        // Start each cycle with the disk quiet: 300 MB writes from the last one are
        // otherwise flushed during the next and dominate its time.
        sh("sync", []);
        const [ms] = await time(cycle);
        (times[name] ??= []).push(ms);
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const workaround = med(Object.values(times)[2]!);
    return Object.entries(times).map(([name, xs], i) => {
      const m = med(xs);
      const vs = i < 2 ? ` (${((m / workaround) * 100).toFixed(0)}% of the workaround)` : "";
      return `| CI cycle from a wiped builder, ${name}: runs ${xs.map((x) => (x / 1000).toFixed(1)).join(" s, ")} s | ${(m / 1000).toFixed(1)} s${vs} | ${i < 2 ? "faster than the workaround" : ""} |`;
    });
  } finally {
    stop?.();
  }
}
