/**
 * (d) Conversion time for the real-world corpus (../shared/corpus): every
 * Dockerfile parsed, converted (default target) and marshalled in process, a
 * first pass with a cold JIT and a second warm one; and every Dockerfile once
 * through the real entrypoint and the fake bridge (spawn to Return), images
 * answered with a stub config.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseDockerfile } from "../frontend/dockerfile/parser/index.ts";
import { runFrontend } from "../test/fake-bridge/index.ts";
import { CORPUS_DIR, corpusFiles, stubAllImages } from "../test/corpus.ts";
import { convertInProcess } from "../test/in-process.ts";

export interface Spread {
  total: number;
  median: number;
  max: number;
  maxFile: string;
}

export interface CorpusFigures {
  files: number;
  cold: Spread;
  warm: Spread;
  bridge: Spread;
}

function spread(times: readonly { file: string; ms: number }[]): Spread {
  const sorted = [...times].sort((a, b) => a.ms - b.ms);
  const last = sorted[sorted.length - 1]!;
  return { total: times.reduce((n, t) => n + t.ms, 0), median: sorted[Math.floor(sorted.length / 2)]!.ms, max: last.ms, maxFile: last.file };
}

async function inProcessPass(texts: readonly { file: string; text: string }[]): Promise<{ file: string; ms: number }[]> {
  const times = [];
  for (const { file, text } of texts) {
    const start = performance.now();
    await convertInProcess(text, parseDockerfile(text));
    times.push({ file, ms: performance.now() - start });
  }
  return times;
}

/** Undefined when the corpus is not there (../shared missing). */
export async function corpusConversion(): Promise<CorpusFigures | undefined> {
  const files = corpusFiles();
  if (files.length === 0) return undefined;
  const texts = files.map((file) => ({ file, text: readFileSync(path.join(CORPUS_DIR, file), "utf8") }));
  const cold = spread(await inProcessPass(texts));
  const warm = spread(await inProcessPass(texts));
  const bridge: { file: string; ms: number }[] = [];
  for (const { file, text } of texts) {
    const run = await runFrontend({ locals: { dockerfile: { Dockerfile: text }, context: {} }, intercept: stubAllImages });
    if (!run.result || run.timings.returnMs === undefined) throw new Error(`corpus ${file} failed: ${run.error?.message ?? run.stderr}`);
    bridge.push({ file, ms: run.timings.returnMs });
  }
  return { files: files.length, cold, warm, bridge: spread(bridge) };
}

export function formatCorpus(c: CorpusFigures | undefined): string {
  if (!c) return `| (d) corpus conversion | skipped: ${CORPUS_DIR} not found | |`;
  const f = (s: Spread) => `total ${s.total.toFixed(0)} ms, per file median ${s.median.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.maxFile})`;
  return [
    `| (d) corpus, ${c.files} Dockerfiles in process, first (cold) pass | ${f(c.cold)} | none |`,
    `| (d) corpus in process, second (warm) pass | ${f(c.warm)} | none |`,
    `| (d) corpus through the real entrypoint and the fake bridge, spawn to Return | ${f(c.bridge)} | none |`,
  ].join("\n");
}
