/**
 * BuildKit v0.24.0's own lexer vectors (frontend/dockerfile/shell/envVarTest
 * and wordsTest), read from the shared/ checkout next to the repo and run
 * the way upstream's lex_test.go runs them, one test case per vector.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ShellLex, envFromList, type EnvGetter } from "./index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const vectorsDir = path.resolve(repoRoot, "../shared/conformance/buildkit-v0.24.0/shell");
const present = existsSync(path.join(vectorsDir, "envVarTest")) && existsSync(path.join(vectorsDir, "wordsTest"));
if (!present) {
  console.warn(`[shell conformance] SKIPPED: BuildKit vectors not found in ${vectorsDir}`);
}

/** Lines as Go's bufio.Scanner yields them: no final empty line, no "\r". */
function readLines(file: string): string[] {
  const lines = readFileSync(path.join(vectorsDir, file), "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => l.replace(/\r$/, ""));
}

// The env lex_test.go gives envVarTest.
const ENV_VAR_TEST_ENV = ["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="];

interface EnvVarVector {
  line: number;
  platform: "A" | "U" | "W";
  source: string;
  expected: string;
}

function loadEnvVarVectors(): EnvVarVector[] {
  const out: EnvVarVector[] = [];
  readLines("envVarTest").forEach((raw, i) => {
    if (raw.startsWith("#")) return;
    const line = raw.trim();
    if (line === "") return;
    const parts = line.split("|");
    if (parts.length !== 3) throw new Error(`envVarTest line ${i + 1}: expected 3 fields: ${raw}`);
    const platform = parts[0]!.trim();
    if (platform !== "A" && platform !== "U" && platform !== "W") {
      throw new Error(`envVarTest line ${i + 1}: bad platform tag ${platform}`);
    }
    out.push({ line: i + 1, platform, source: parts[1]!.trim(), expected: parts[2]!.trim() });
  });
  return out;
}

interface WordsVector {
  line: number;
  source: string;
  expected: string[];
  env: string[];
}

function loadWordsVectors(): WordsVector[] {
  const out: WordsVector[] = [];
  const env: string[] = [];
  readLines("wordsTest").forEach((raw, i) => {
    if (raw.startsWith("#")) return;
    if (raw.startsWith("ENV ")) {
      // Only leading spaces go: some values keep trailing spaces on purpose.
      env.push(raw.slice(3).replace(/^ +/, ""));
      return;
    }
    const parts = raw.split("|");
    if (parts.length !== 2) throw new Error(`wordsTest line ${i + 1}: expected exactly one "|": ${raw}`);
    out.push({
      line: i + 1,
      source: parts[0]!.trim(),
      expected: parts[1]!.replace(/^ +/, "").split(","),
      env: [...env],
    });
  });
  return out;
}

function expandOrError(lex: ShellLex, source: string, env: EnvGetter): string {
  try {
    return lex.processWord(source, env).result;
  } catch {
    return "error";
  }
}

const envVarVectors = present ? loadEnvVarVectors() : [];
const wordsVectors = present ? loadWordsVectors() : [];

describe.skipIf(!present)("BuildKit v0.24.0 shell vectors", () => {
  it("found the vector files", () => {
    expect(envVarVectors.length).toBeGreaterThan(200);
    expect(wordsVectors.length).toBeGreaterThan(20);
  });

  // Upstream runs A+U vectors on Linux and A+W vectors on Windows, where
  // env names are case-insensitive. We run both sets.
  describe("envVarTest, Linux (A and U)", () => {
    const lex = new ShellLex("\\");
    const env = envFromList(ENV_VAR_TEST_ENV);
    for (const v of envVarVectors.filter((v) => v.platform !== "W")) {
      it(`line ${v.line}: ${v.source}`, () => {
        expect(expandOrError(lex, v.source, env)).toBe(v.expected);
      });
    }
  });

  describe("envVarTest, Windows (A and W)", () => {
    const lex = new ShellLex("\\");
    const env = envFromList(ENV_VAR_TEST_ENV, { caseInsensitive: true });
    for (const v of envVarVectors.filter((v) => v.platform !== "U")) {
      it(`line ${v.line}: ${v.source}`, () => {
        expect(expandOrError(lex, v.source, env)).toBe(v.expected);
      });
    }
  });

  // lex_test.go loops over a second mode (rawQuotes + skipUnsetEnv) but reuses
  // the already-read file, so that mode runs no vector upstream; its expected
  // values only hold for the default options, which is what we run.
  describe("wordsTest (processWords)", () => {
    const lex = new ShellLex("\\");
    for (const v of wordsVectors) {
      it(`line ${v.line}: ${v.source}`, () => {
        let fields: string[];
        try {
          fields = lex.processWords(v.source, envFromList(v.env));
        } catch {
          fields = ["error"];
        }
        expect(fields).toEqual(v.expected);
      });
    }
  });
});
