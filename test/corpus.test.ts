/**
 * The real-world Dockerfiles in ../shared/corpus convert without error and
 * give LLB that BuildKit's own loading checks would accept (every input
 * resolves, execs have a root mount, file ops have actions, a terminal op
 * last). Images resolve to a stub config; every stage is converted.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { OpSchema, type Definition } from "../frontend/gen/moby/buildkit/solver/ops_pb.ts";
import { parseDockerfile } from "../frontend/dockerfile/parser/index.ts";
import { parseInstructions } from "../frontend/dockerfile/instructions/index.ts";
import { digestOf } from "../frontend/llb/marshal.ts";
import { convertInProcess } from "./in-process.ts";
import { CORPUS_DIR as CORPUS, corpusFiles } from "./corpus.ts";

const files = corpusFiles();
if (files.length === 0) console.warn(`corpus tests skipped: ${CORPUS} not found (it is in ../shared beside the repo in CI)`);

/** The checks BuildKit applies when it loads a definition (solver/llbsolver/vertex.go, ops/opsutils/validate.go). */
function validate(def: Definition): void {
  expect(def.def.length).toBeGreaterThanOrEqual(2);
  const digests = new Set(def.def.map(digestOf));
  def.def.forEach((bytes, i) => {
    const op = fromBinary(OpSchema, bytes);
    for (const input of op.inputs) expect(digests.has(input.digest), `op ${i} input ${input.digest}`).toBe(true);
    if (i === def.def.length - 1) {
      expect(op.op.case).toBeUndefined();
      expect(op.inputs).toHaveLength(1);
    }
    if (op.op.case === "exec") {
      expect(op.op.value.meta?.args.length).toBeGreaterThan(0);
      expect(op.op.value.mounts.some((m) => m.dest === "/")).toBe(true);
      for (const m of op.op.value.mounts) expect(Number(m.input)).toBeLessThan(op.inputs.length);
    }
    if (op.op.case === "file") {
      expect(op.op.value.actions.length).toBeGreaterThan(0);
      op.op.value.actions.forEach((a, j) => expect(Number(a.input)).toBeLessThan(op.inputs.length + j));
    }
  });
}

describe.skipIf(files.length === 0)("real-world Dockerfiles convert to valid LLB", () => {
  it.each(files)("%s", async (file) => {
    const text = readFileSync(path.join(CORPUS, file), "utf8");
    const parsed = parseDockerfile(text);
    const { stages } = parseInstructions(parsed, { extraRunFlags: ["cache-ttl"] });
    // Every stage as a target, so nothing is left unconverted.
    for (const stage of stages) {
      const { result, definition } = await convertInProcess(text, parsed, { target: stage.name ?? "" });
      if (!result.state.isScratch) validate(definition);
      if (!stage.name) break; // unnamed stages cannot be targeted by name; the last one is the default target
    }
  });
});
