/**
 * `npm run bench`: (a) the frontend's cold start to Return for a small
 * Dockerfile through the fake bridge (a real child process over stdio), and
 * (b) conversion of a generated 1,000-stage, 10,000-instruction Dockerfile in
 * process (parse → instructions → LLB → marshal), with peak RSS, (c) what a
 * cache TTL costs, and (d) conversion of the real-world corpus
 * (bench/corpus.ts). Prints a table; docs/benchmarks.md records the figures
 * with the machine noted.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { runFrontend } from "../test/fake-bridge/index.ts";
import { parseDockerfile } from "../frontend/dockerfile/parser/index.ts";
import { largeDockerfile, type Shape } from "./generate.ts";
import { convertInProcess } from "../test/in-process.ts";
import { corpusConversion, formatCorpus } from "./corpus.ts";

const BUSYBOX = { architecture: "amd64", os: "linux", config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] }, rootfs: { type: "layers", diff_ids: ["sha256:" + "ab".repeat(32)] } };

async function coldStart(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runFrontend({
      locals: { dockerfile: { Dockerfile: "FROM busybox\nWORKDIR /app\nCOPY . .\nRUN echo hi > /hi\nCMD [\"sh\"]\n" }, context: { "a.txt": "a" } },
      images: { "docker.io/library/busybox:latest": { config: BUSYBOX } },
    });
    if (!run.result || run.timings.returnMs === undefined) throw new Error(`cold start run failed: ${run.stderr}`);
    times.push(run.timings.returnMs);
  }
  return times;
}

/**
 * (c) What a cache TTL costs when nothing has expired: the same 10-step
 * Dockerfile with and without `--cache-ttl` on every RUN, through the real
 * entrypoint. Counts ops, solves and round trips (the TTL must add none), and
 * times both.
 */
async function ttlOverhead(runs: number): Promise<{ plain: TtlFigures; ttl: TtlFigures }> {
  const steps = Array.from({ length: 10 }, (_, i) => `apt-get install -y package-${i}`);
  const figures = async (withTtl: boolean): Promise<TtlFigures> => {
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof runFrontend>> | undefined;
    for (let i = 0; i < runs; i++) {
      last = await runFrontend({
        opts: { "build-arg:BUILDKIT_CACHE_TTL_NOW": "1750000000" },
        locals: { dockerfile: { Dockerfile: "FROM busybox\n" + steps.map((s) => `RUN ${withTtl ? "--cache-ttl=24h " : ""}${s}\n`).join("") }, context: {} },
        images: { "docker.io/library/busybox:latest": { config: BUSYBOX } },
      });
      if (!last.result || last.timings.returnMs === undefined) throw new Error(`ttl run failed: ${last.stderr}`);
      times.push(last.timings.returnMs);
    }
    return { ops: last!.finalDefinition()!.def.length, solves: last!.solves.length, calls: last!.calls.length, ms: median(times) };
  };
  return { plain: await figures(false), ttl: await figures(true) };
}

interface TtlFigures {
  ops: number;
  solves: number;
  calls: number;
  ms: number;
}

async function largeConversion(shape: Shape): Promise<{ ms: number; ops: number; bytes: number; phases: string }> {
  const text = largeDockerfile(1000, 10, shape);
  const start = performance.now();
  const parsed = parseDockerfile(text);
  const tParsed = performance.now();
  const { definition } = await convertInProcess(text, parsed);
  const end = performance.now();
  const phases = `parse ${(tParsed - start).toFixed(0)} ms, convert and marshal ${(end - tParsed).toFixed(0)} ms`;
  return { ms: end - start, ops: definition.def.length, bytes: definition.def.reduce((n, b) => n + b.length, 0), phases };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Conversion first, so the figure is not inflated by garbage left by the cold-start runs.
const big = await largeConversion("copy-chain");
const rssMb = process.resourceUsage().maxRSS / 1024;
const corpus = await corpusConversion();
const stress = await largeConversion("from-chain");
const cold = await coldStart(15);
const ttl = await ttlOverhead(9);
const instructions = largeDockerfile(1000, 10).split("\n").filter((l) => l.trim() && !l.startsWith("ARG BASE")).length;

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log("| benchmark | result | budget |");
console.log("|---|---|---|");
console.log(`| (a) cold start to Return, small Dockerfile (median of ${cold.length}) | ${median(cold).toFixed(0)} ms (min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)}) | ≤ 150 ms |`);
console.log(`| (b) convert 1,000 stages / ${instructions} instructions (${big.ops} ops, ${(big.bytes / 1024).toFixed(0)} KiB LLB) | ${big.ms.toFixed(0)} ms (${big.phases}) | ≤ 1500 ms |`);
console.log(`| peak RSS after (b) | ${rssMb.toFixed(0)} MB | ≤ 200 MB |`);
console.log(`| (c) 10 RUN steps, every one with --cache-ttl vs none: ops / solves / gateway calls / median ms | ${ttl.ttl.ops} / ${ttl.ttl.solves} / ${ttl.ttl.calls} / ${ttl.ttl.ms.toFixed(0)} vs ${ttl.plain.ops} / ${ttl.plain.solves} / ${ttl.plain.calls} / ${ttl.plain.ms.toFixed(0)} | no extra op, solve or call |`);
console.log(`| (extra) same size, every stage FROM the previous one (${stress.ops} ops, ${(stress.bytes / 1024).toFixed(0)} KiB LLB) | ${stress.ms.toFixed(0)} ms (${stress.phases}) | none |`);
console.log(formatCorpus(corpus));
