// Smoke test over the shared corpus of real-world Dockerfiles: both layers
// must accept every file, and dockerfile-ast's segmentation must agree with
// upstream's rules (a disagreement is corrected, but would point at a new
// corner worth a look).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDockerfileDetailed } from "../parser/index.ts";
import { parseInstructions } from "./parse.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const corpus = path.resolve(repoRoot, "../shared/corpus");
const present = existsSync(corpus);
if (!present) console.warn(`[dockerfile corpus] skipped: ${corpus} not found`);

function dockerfiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...dockerfiles(p));
    else if (/Dockerfile/i.test(f)) out.push(p);
  }
  return out;
}

describe.skipIf(!present)("corpus", () => {
  for (const file of present ? dockerfiles(corpus) : []) {
    it(path.relative(corpus, file), () => {
      const { result, divergences } = parseDockerfileDetailed(readFileSync(file, "utf8"));
      expect(divergences).toEqual([]);
      const parsed = parseInstructions(result);
      expect(parsed.stages.length).toBeGreaterThan(0);
    });
  }
});
