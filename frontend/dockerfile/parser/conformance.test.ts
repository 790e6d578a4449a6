// Upstream's parser conformance files (BuildKit v0.24.0 parser_test.go):
// testfiles/<case> must dump to `result`, testfiles-negative/<case> must fail,
// testfile-line checks node line numbers.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dumpResult } from "./dump.ts";
import { parseDockerfile } from "./parser.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const root = path.resolve(repoRoot, "../shared/conformance/buildkit-v0.24.0/parser");
const present = existsSync(root);

if (!present) {
  console.warn(`[parser conformance] skipped: ${root} not found (shared conformance data is not checked out)`);
}

function cases(dir: string): string[] {
  const full = path.join(root, dir);
  return existsSync(full) ? readdirSync(full).sort() : [];
}

describe.skipIf(!present)("parser conformance: testfiles", () => {
  for (const name of cases("testfiles")) {
    it(name, () => {
      const dockerfile = readFileSync(path.join(root, "testfiles", name, "Dockerfile"), "utf8");
      const expected = readFileSync(path.join(root, "testfiles", name, "result"), "utf8").replace(/\r\n/g, "\n");
      expect(dumpResult(parseDockerfile(dockerfile)) + "\n").toBe(expected);
    });
  }
});

describe.skipIf(!present)("parser conformance: testfiles-negative", () => {
  for (const name of cases("testfiles-negative")) {
    it(name, () => {
      const dockerfile = readFileSync(path.join(root, "testfiles-negative", name, "Dockerfile"), "utf8");
      expect(() => parseDockerfile(dockerfile)).toThrow();
    });
  }
});

describe.skipIf(!present)("parser conformance: testfile-line", () => {
  it("records start and end lines", () => {
    const dockerfile = readFileSync(path.join(root, "testfile-line", "Dockerfile"), "utf8");
    const { nodes } = parseDockerfile(dockerfile);
    expect(nodes.map((n) => [n.startLine, n.endLine])).toEqual([
      [5, 5],
      [11, 12],
      [17, 31],
    ]);
    // upstream's root node spans from the first to the last instruction
    expect(nodes[0]!.startLine).toBe(5);
    expect(nodes[nodes.length - 1]!.endLine).toBe(31);
  });
});
