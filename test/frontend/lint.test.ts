// frontend.lint through the real entrypoint and the fake LLBBridge: upstream's
// lint result (result.json, result.txt, result.statuscode, version), every
// stage linted when no target is given, nothing built.
import { describe, expect, it } from "vitest";
import type { FakeRun } from "../fake-bridge/index.ts";
import { build } from "./helpers.ts";

const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe("frontend.lint", () => {
  const lint = (dockerfile: string, opts: Record<string, string> = {}) => build({ dockerfile, opts: { requestid: "frontend.lint", ...opts } });

  function answer(run: FakeRun) {
    expect(run.error, run.stderr).toBeUndefined();
    const r = run.result!;
    expect(r.result.case === "ref" && r.result.value.id).toBe("");
    return {
      keys: Object.keys(r.metadata).sort(),
      raw: dec(r.metadata["result.json"]),
      json: JSON.parse(dec(r.metadata["result.json"])),
      text: dec(r.metadata["result.txt"]),
      status: dec(r.metadata["result.statuscode"]),
      version: dec(r.metadata.version),
    };
  }

  it("returns upstream's lint result, every stage linted, nothing built or sent as a warning", async () => {
    const dockerfile = "FROM busybox AS base\nFROM base AS unused\nENV a b\nFROM base\nCMD echo hi\n";
    const run = await lint(dockerfile);
    const a = answer(run);
    expect(a.keys).toEqual(["result.json", "result.statuscode", "result.txt", "version"]);
    expect(a.version).toBe("1.0.0");
    expect(a.status).toBe("1");
    expect(a.json.warnings).toEqual([
      {
        ruleName: "LegacyKeyValueFormat",
        description: "Legacy key/value format with whitespace separator should not be used",
        url: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
        detail: '"ENV key=value" should be used instead of legacy "ENV key value" format',
        location: { ranges: [{ start: { line: 3 }, end: { line: 3 } }] },
      },
      {
        ruleName: "JSONArgsRecommended",
        description: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
        detail: "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
        location: { ranges: [{ start: { line: 5 }, end: { line: 5 } }] },
      },
    ]);
    expect(a.json.sources).toHaveLength(1);
    const src = a.json.sources[0];
    expect(Object.keys(src)).toEqual(["filename", "data", "definition", "language"]);
    expect([src.filename, Buffer.from(src.data, "base64").toString(), src.language]).toEqual(["Dockerfile", dockerfile, "Dockerfile"]);
    expect(src.definition.def.length).toBeGreaterThan(0);
    expect(a.json.buildError).toBeUndefined();
    // Go's MarshalIndent: two spaces, no trailing newline.
    expect(a.raw.startsWith('{\n  "warnings": [\n    {\n      "ruleName": "LegacyKeyValueFormat",')).toBe(true);
    expect(a.text).toBe(`Check complete, 2 warnings have been found!

WARNING: LegacyKeyValueFormat - https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/
"ENV key=value" should be used instead of legacy "ENV key value" format
Dockerfile:3
--------------------
   1 |     FROM busybox AS base
   2 |     FROM base AS unused
   3 | >>> ENV a b
   4 |     FROM base
   5 |     CMD echo hi
--------------------

WARNING: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/
JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
Dockerfile:5
--------------------
   3 |     ENV a b
   4 |     FROM base
   5 | >>> CMD echo hi
   6 |     
--------------------
`);
    expect(run.warnings).toEqual([]);
    expect(run.solves).toHaveLength(1);
  });

  it("with a target, lints what the target needs only", async () => {
    const a = answer(await lint("FROM busybox AS base\nFROM base AS unused\nENV a b\nFROM base\nCMD echo hi\n", { target: "unused" }));
    expect(a.json.warnings.map((w: { ruleName: string }) => w.ruleName)).toEqual(["LegacyKeyValueFormat"]);
  });

  it("no warnings: status 0 and warnings null", async () => {
    const a = answer(await lint("FROM busybox\nCMD [\"true\"]\n"));
    expect(a.status).toBe("0");
    expect(a.raw).toMatch(/^\{\n {2}"warnings": null,\n {2}"sources": \[/);
    expect(a.text).toBe("Check complete, no warnings found.\n");
  });

  it("a Dockerfile that does not convert: the error is in the result, after the warnings before it", async () => {
    const a = answer(await lint("FROM busybox AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n"));
    expect(a.status).toBe("1");
    expect(a.json.warnings.map((w: { ruleName: string }) => w.ruleName)).toEqual(["StageNameCasing", "MaintainerDeprecated"]);
    expect(a.json.buildError).toEqual({ message: "dockerfile parse error on line 3: unknown instruction: BADCMD", location: { ranges: [{ start: { line: 3 }, end: { line: 3 } }] } });
    expect(a.text).toMatch(/\ndockerfile parse error on line 3: unknown instruction: BADCMD\nDockerfile:3\n-{20}\n/);
  });

  it("error=true: the lint violation is the result's error, without a location", async () => {
    const a = answer(await lint("# check=error=true\nFROM busybox as b\n"));
    expect(a.json.buildError).toEqual({ message: "lint violation found for rules: FromAsCasing", location: {} });
  });

  it("warnings without a line (cachefront's build-wide ones) have an empty location", async () => {
    const a = answer(await lint("FROM busybox\nRUN true\n", { "build-arg:BUILDKIT_CACHE_EXPORT": "nothing" }));
    expect(a.json.warnings).toEqual([
      {
        ruleName: "CacheExportUnused",
        description: "Every cache id in BUILDKIT_CACHE_EXPORT should be mounted by a RUN of the build",
        url: "docs/checks.md#cacheexportunused",
        detail: "BUILDKIT_CACHE_EXPORT asks for cache id nothing, which no RUN of this build mounts; exporting whatever that cache holds",
        location: {},
      },
    ]);
  });

  it("CopyIgnoredFile loads .dockerignore, only when enabled", async () => {
    const dockerfile = "# check=experimental=CopyIgnoredFile\nFROM busybox\nCOPY secret.txt /\n";
    const run = await build({ dockerfile, context: { ".dockerignore": "secret.txt\n", "secret.txt": "x" }, opts: { requestid: "frontend.lint" } });
    expect(answer(run).json.warnings.map((w: { detail: string }) => w.detail)).toEqual(['Attempting to Copy file "secret.txt" that is excluded by .dockerignore']);
    expect(run.solves).toHaveLength(2);
  });
});
