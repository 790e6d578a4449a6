// Deterministic fuzzing: random Dockerfile-ish text must either parse or fail
// with the layer's own error type — never with a TypeError or a hang — and
// the dockerfile-ast segmentation correction must keep lines consistent.

import { describe, expect, it } from "vitest";
import { InstructionError, parseInstructions } from "../instructions/index.ts";
import { DockerfileParseError } from "./nodes.ts";
import { parseDockerfile } from "./parser.ts";

const pieces = [
  "FROM a", "FROM b AS c", "RUN", "RUN x", "COPY", "ADD", "ONBUILD", "ENV", "ARG", "LABEL", "CMD", "HEALTHCHECK",
  "# escape=`", "# syntax=x", "#", "# c", "\\", "`", "\\\\", "<<EOF", "<<-E", "3<<X", "EOF", "\tE", "X", '"', "'",
  "[", "]", '["a"]', "--mount=type=cache,target=/x", "--from=a", "--", " ", "\t", "=", "a=b", "$X", "${X:-y}", "\r",
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("fuzz", () => {
  it("never crashes", () => {
    const rand = rng(42);
    for (let n = 0; n < 1500; n++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(rand() * 12);
      for (let l = 0; l < count; l++) {
        const words = Math.floor(rand() * 5);
        const parts: string[] = [];
        for (let w = 0; w < words; w++) parts.push(pieces[Math.floor(rand() * pieces.length)]!);
        lines.push(parts.join(rand() < 0.5 ? " " : ""));
      }
      const text = lines.join(rand() < 0.2 ? "\r\n" : "\n");
      let result;
      try {
        result = parseDockerfile(text);
      } catch (e) {
        expect(e, text).toBeInstanceOf(DockerfileParseError);
        continue;
      }
      let prevEnd = 0;
      for (const node of result.nodes) {
        expect(node.startLine, text).toBeGreaterThan(prevEnd);
        expect(node.endLine, text).toBeGreaterThanOrEqual(node.startLine);
        prevEnd = node.endLine;
      }
      try {
        parseInstructions(result, { extraRunFlags: ["cache-ttl"] });
      } catch (e) {
        expect(e, text).toBeInstanceOf(InstructionError);
      }
    }
  });
});
