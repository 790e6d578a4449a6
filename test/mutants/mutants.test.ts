/**
 * Bad input through the real entrypoint: every generated mutant Dockerfile
 * (test/mutants/generate.ts) runs as a real frontend process against the fake
 * LLBBridge, and must end in one of two ways: a result (some mutants are
 * still valid Dockerfiles), or a Return error that names a Dockerfile line,
 * both in the message (`Dockerfile:N: ...` or upstream's `... line N: ...`)
 * and as an `errdefs.Source` detail so clients show the snippet. Never a
 * crash, a stack trace, a JavaScript runtime error passed off as a message, a
 * non-zero exit, output on stderr, or a hang (each run has its own timeout).
 *
 * Each run is a cold start costing about 0.2 s of CPU (Node, the bundle, the
 * HTTP/2 session, a cold JIT), so the runs go a few at a time: on an idle
 * 2-core machine the 1,008 take about two minutes. MUTANTS=<n> changes the
 * count (for a quick look, not for CI).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, bundle, makeTempDir, runFrontend, type FakeRun, type Intercept } from "../fake-bridge/index.ts";
import type { ResolveImageConfigRequest } from "../../frontend/gen/moby/buildkit/frontend/gateway_pb.ts";
import { stubAllImages } from "../corpus.ts";
import { CATEGORIES, generateMutants, type Category, type Mutant } from "./generate.ts";
import { CORPUS_DIR, loadSeeds } from "./seeds.ts";

// 63 for each of the 16 categories: at least 1,000 in all.
const COUNT = Number(process.env.MUTANTS ?? 1008);
// Cold starts are CPU-bound: two per core keep the cores busy while a run waits on its pipes.
const CONCURRENCY = Math.max(2, Math.min(4, os.cpus().length * 2));
const RUN_TIMEOUT_MS = 20_000;

/**
 * Errors that legitimately name no line:
 * - "the Dockerfile cannot be empty": no bytes other than whitespace.
 * - "dockerfile contains no stages to build": only comments, directives and
 *   ARGs; what is wrong is the FROM that is not there.
 * - "lint violation found for rules: ..." (`# check=error=true`): a summary
 *   that stops the build; each violation went out as a warning with its own
 *   lines, as upstream does it.
 */
const UNLOCATED_EXPECTED = [/^the Dockerfile cannot be empty$/, /^dockerfile contains no stages to build$/, /^lint violation found for rules: /];

/** V8's own messages: a runtime error in our code that reached the user dressed as a Dockerfile error. */
const RUNTIME_ERROR =
  /Cannot (read|set) propert|is not a function|is not iterable|is not defined|is not a constructor|Maximum call stack|Invalid (array|string) length|Invalid time value|\bundefined\b|\[object |\bNaN\b|Unexpected (end of JSON|token)|in JSON at position/;

const CONTEXT = { "a.txt": "a", "src/main.go": "package main\n", "app.ps1": "Write-Host hi\n", "archive.tar.gz": "not really a tar" };

type Outcome = "converted" | "located" | "unlocated";
const OUTCOMES: readonly Outcome[] = ["converted", "located", "unlocated"];

interface Verdict {
  outcome?: Outcome;
  failure?: string;
}

const lineCount = (data: Uint8Array) => Math.max(new TextDecoder().decode(data).split(/\r\n|\r|\n/).length, 1);

/** The Dockerfile line a message names: our `Dockerfile:N:` prefix or an upstream-style `line N`. */
function namedLine(message: string): number | undefined {
  const m = /^[^\s:]+:(\d+): /.exec(message) ?? /\bline (\d+)\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function sourceRanges(run: FakeRun): { start: number; end: number }[] | undefined {
  const d = run.error?.details.find((x) => x.typeUrl.endsWith("errdefs.Source+json"));
  if (!d) return undefined;
  const parsed = JSON.parse(new TextDecoder().decode(d.value)) as { ranges: { start: { line: number }; end: { line: number } }[] };
  return parsed.ranges.map((r) => ({ start: r.start.line, end: r.end.line }));
}

function judge(m: Mutant, run: FakeRun | Error): Verdict {
  if (run instanceof Error) return { failure: `no clean exit: ${run.message.split("\n")[0]}` };
  if (run.signal || run.exitCode !== 0) return { failure: `exit ${run.exitCode ?? run.signal}` };
  if (run.protocolError) return { failure: run.protocolError };
  if (run.stderr.trim() !== "") return { failure: `stderr: ${run.stderr.trim().split("\n").slice(0, 3).join(" | ")}` };
  if (!run.returned || run.returnCalls.length !== 1) return { failure: `${run.returnCalls.length} Return calls` };
  if (run.result) return { outcome: "converted" };
  const message = run.error?.message ?? "";
  if (/\n\s+at /.test(message)) return { failure: `stack trace in the message: ${message.split("\n")[0]}` };
  if (RUNTIME_ERROR.test(message)) return { failure: `runtime error as a message: ${message}` };
  const line = namedLine(message);
  const lines = lineCount(m.data);
  if (line === undefined) {
    return UNLOCATED_EXPECTED.some((re) => re.test(message)) ? { outcome: "unlocated" } : { failure: `error without a line: ${message}` };
  }
  if (line < 1 || line > lines) return { failure: `names line ${line} of a ${lines}-line file: ${message}` };
  const ranges = sourceRanges(run);
  if (!ranges?.length) return { failure: `names a line but carries no source snippet: ${message}` };
  if (ranges.some((r) => r.start < 1 || r.end < r.start || r.end > lines)) return { failure: `snippet ranges ${JSON.stringify(ranges)} outside the ${lines}-line file: ${message}` };
  return { outcome: "located" };
}

/** Every image resolves to `config` (a bad-base-image mutant's damage). */
function imagesResolvingTo(config: Uint8Array): Intercept {
  const digest = `sha256:${"ef".repeat(32)}`;
  return (method, request, run) => {
    if (method === "resolveImageConfig") return { response: { Digest: digest, Config: config, Ref: (request as ResolveImageConfigRequest).Ref } };
    return stubAllImages(method, request, run);
  };
}

async function runMutant(entry: string, m: Mutant): Promise<FakeRun | Error> {
  return runFrontend({
    entry,
    locals: { dockerfile: { Dockerfile: m.data }, context: CONTEXT },
    // Every image exists: mutants fail on their own damage, not on the corpus's base images.
    intercept: m.imageConfig ? imagesResolvingTo(m.imageConfig) : stubAllImages,
    timeoutMs: RUN_TIMEOUT_MS,
  }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const { seeds, corpusFound } = loadSeeds();
const mutants = generateMutants(seeds, COUNT);
const tally = new Map<Category, Record<Outcome | "failed", number>>();
const started = performance.now();

describe(`${mutants.length} mutated Dockerfiles through the real entrypoint`, () => {
  let tmp: string | undefined;
  let entry = "";

  beforeAll(async () => {
    if (!corpusFound) console.warn(`mutants: ${CORPUS_DIR} not found (../shared is missing): only the ${seeds.length} built-in seeds are mutated`);
    else console.log(`mutants: ${seeds.length} seeds (built-in and ${CORPUS_DIR}), ${mutants.length} mutants, ${CONCURRENCY} at a time`);
    // Our own bundle of the entrypoint, not dist/: other test files (and other
    // checkouts' test runs) rebundle dist/, which clears dist/chunks while our
    // runs are loading from it.
    tmp = makeTempDir("mutants-");
    entry = path.join(tmp, "cachefront.mjs");
    await bundle(path.join(REPO_ROOT, "frontend/main.ts"), entry);
  }, 120_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    const rows = CATEGORIES.map((c) => {
      const t = tally.get(c);
      return t ? `| ${c} | ${OUTCOMES.reduce((n, o) => n + t[o], t.failed)} | ${t.converted} | ${t.located} | ${t.unlocated} | ${t.failed} |` : `| ${c} | not run |`;
    });
    const sum = (k: Outcome | "failed") => [...tally.values()].reduce((n, t) => n + t[k], 0);
    const total = `| all | ${sum("converted") + sum("located") + sum("unlocated") + sum("failed")} | ${sum("converted")} | ${sum("located")} | ${sum("unlocated")} | ${sum("failed")} |`;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const header = ["| category | mutants | converted | error naming a line | error naming no line (expected) | failed |", "|---|---|---|---|---|---|"];
    console.log([...header, ...rows, total, `(${seconds} s, bundling included)`].join("\n"));
  });

  it.each(CATEGORIES)("%s", async (category) => {
    const mine = mutants.filter((m) => m.category === category);
    const runs = await pool(mine, CONCURRENCY, (m) => runMutant(entry, m));
    const t = { converted: 0, located: 0, unlocated: 0, failed: 0 };
    const failures: string[] = [];
    mine.forEach((m, i) => {
      const v = judge(m, runs[i]!);
      if (v.outcome) t[v.outcome]++;
      else {
        t.failed++;
        failures.push(`${m.id} (${m.seed || "no seed"}; ${m.note}): ${v.failure}`);
      }
    });
    tally.set(category, t);
    expect(failures, `${failures.length} of ${mine.length} mutants`).toEqual([]);
  }, 300_000);
});
