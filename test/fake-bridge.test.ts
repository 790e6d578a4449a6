// Tests for the fake LLBBridge (test/fake-bridge/): a throwaway frontend
// (fixtures/mini-frontend.ts, built on the real stdio transport and bridge
// client) runs against it over stdio, and we check what the fake recorded.
// The last test runs the real entrypoint when frontend/main.ts exists.
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { DefinitionSchema } from "../frontend/gen/moby/buildkit/solver/ops_pb.ts";
import {
  BUILDKIT_V024_FRONTEND_CAPS,
  BUILDKIT_V024_LLB_CAPS,
  REPO_ROOT,
  bundle,
  makeTempDir,
  runFrontend,
  type FakeBridgeOptions,
  type FakeRun,
} from "./fake-bridge/index.ts";
import {
  customNames,
  decodeDefinition,
  definitionToPlain,
  dumpDefinition,
  findByName,
  findOps,
  firstInputChain,
  headOf,
  inputsOf,
  reachable,
  sourceOps,
} from "./fake-bridge/llb-inspect.ts";

const utf8 = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

let tmp: string;
let mini: string;

beforeAll(async () => {
  tmp = makeTempDir();
  mini = path.join(tmp, "mini-frontend.mjs");
  await bundle(path.join(REPO_ROOT, "test/fake-bridge/fixtures/mini-frontend.ts"), mini);
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const baseOptions = (): FakeBridgeOptions => ({
  entry: mini,
  opts: { filename: "Dockerfile", "build-arg:X": "a=b", image: "docker.io/library/busybox:latest" },
  locals: {
    dockerfile: { Dockerfile: "FROM busybox\nRUN true\n", "other.txt": "not followed" },
    context: { a: "A", "sub/b.txt": "bee" },
  },
  images: { busybox: { config: { architecture: "amd64", os: "linux", config: { Env: ["PATH=/bin"] } } } },
  inputs: { context: create(DefinitionSchema, {}) },
});

function report(run: FakeRun): Record<string, any> {
  return JSON.parse(utf8(run.result?.metadata.report));
}

describe("fake bridge with a mini frontend", () => {
  it("records ping, solves, reads, resolves, warnings and the Return", async () => {
    const run = await runFrontend(baseOptions());
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.protocolError).toBeUndefined();
    expect(run.pinged).toBe(true);
    expect(run.calls[0]).toBe("ping");
    expect(run.calls.at(-1)).toBe("return");

    // Environment as buildkitd sets it.
    const r = report(run);
    expect(r.opts).toEqual({ filename: "Dockerfile", "build-arg:X": "a=b", image: "docker.io/library/busybox:latest" });
    expect(r.sessionId).toBe("fake-session-0123456789");
    expect(r.product).toBe("buildkit");
    expect(r.workers).toEqual([expect.objectContaining({ id: "fakeworker0", platforms: [{ os: "linux", architecture: "amd64" }] })]);
    expect(r.pongWorkers).toEqual([{ id: "fakeworker0", platforms: ["linux/amd64"] }]);
    expect(r.frontendCaps).toEqual([...BUILDKIT_V024_FRONTEND_CAPS].sort());
    expect(r.llbCaps).toEqual([...BUILDKIT_V024_LLB_CAPS].sort());
    expect(r.frontendCaps).toContain("gateway.warnings");
    expect(r.llbCaps).toContain("mergeop");

    // Solve: fresh ref ids, the definition echoed in Ref.def, "" for an empty definition.
    expect(run.solves).toHaveLength(4);
    expect(r.ref).toBe("ref-1");
    expect(r.refHasDef).toBe(true);
    expect(r.emptyRef).toBe("");
    expect(run.solves[0]!.allowResultArrayRef).toBe(true);
    expect(sourceOps(run.solves[0]!.Definition!, "local://").map((o) => o.source.identifier)).toEqual(["local://dockerfile"]);

    // ReadFile: local content, ranges, BuildKit-like not-found, follow paths honoured, non-local heads refused.
    expect(utf8(run.result?.metadata.dockerfile)).toBe("FROM busybox\nRUN true\n");
    expect(r.range).toBe("busy");
    expect(r.missing).toEqual({ err: { code: 5, message: "open Dockerfile.dockerignore: no such file or directory" } });
    expect(r.unfollowed).toEqual({ err: { code: 5, message: "open other.txt: no such file or directory" } });
    expect(r.fileRead).toEqual({ err: { code: 12, message: "fake bridge: cannot read from file op" } });
    expect(run.reads).toEqual([
      { ref: "ref-1", path: "Dockerfile" },
      { ref: "ref-1", path: "Dockerfile" },
      { ref: "ref-1", path: "Dockerfile.dockerignore" },
      { ref: "ref-1", path: "other.txt" },
      { ref: "ref-2", path: "a" },
    ]);
    expect(r.stat).toEqual({ path: "b.txt", size: "3" });
    expect(r.readDir).toEqual(["a", "sub"]);

    // ResolveImageConfig: config JSON, default digest, NOT_FOUND for unknown images.
    expect(r.image.ref).toBe("docker.io/library/busybox:latest");
    expect(r.image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.image.config.config.Env).toEqual(["PATH=/bin"]);
    expect(r.unknownImage).toEqual({ err: { code: 5, message: "docker.io/library/nope:latest: not found" } });
    expect(run.resolves.map((x) => [x.Ref, x.LogName])).toEqual([
      ["docker.io/library/busybox:latest", "load metadata for docker.io/library/busybox:latest"],
      ["docker.io/library/nope:latest", ""],
    ]);

    expect(r.inputs).toEqual(["context"]);
    expect(run.warnings).toHaveLength(1);
    expect(utf8(run.warnings[0]!.short)).toBe("MiniWarning: something (line 1)");
    expect(run.warnings[0]!.digest).toBe(decodeDefinition(run.solves[0]!.Definition!)[0]!.digest);

    // Return.
    expect(run.returnCalls).toHaveLength(1);
    expect(run.returned).toBe(run.returnCalls[0]);
    expect(run.error).toBeUndefined();
    expect(run.result?.result.case).toBe("ref");
    const final = run.finalDefinition()!;
    expect(final).toBe(run.solves[0]!.Definition);
    expect(headOf(final)?.kind).toBe("source");
    expect(customNames(final)).toEqual(["[internal] load build definition from Dockerfile"]);
    expect(run.timings.returnMs).toBeGreaterThan(0);
    expect(run.timings.exitMs).toBeGreaterThanOrEqual(run.timings.returnMs!);
  });

  it("records a Return with an error", async () => {
    const run = await runFrontend({ ...baseOptions(), opts: { mode: "error" } });
    expect(run.exitCode).toBe(0);
    expect(run.result).toBeUndefined();
    expect(run.error).toMatchObject({ code: 3, message: "mini: asked to fail" });
    expect(run.finalDefinition()).toBeUndefined();
  });

  it("rejects a second Return like the gateway", async () => {
    const run = await runFrontend({ ...baseOptions(), opts: { mode: "double-return" } });
    expect(run.returnCalls).toHaveLength(2);
    expect(run.result?.result.case).toBe("ref");
    expect(run.error).toBeUndefined();
    expect(run.stderr).toContain("second return failed: gateway result is already set");
  });

  it("rejects a Return of an unknown ref and accepts the empty ref", async () => {
    const bad = await runFrontend({ ...baseOptions(), opts: { mode: "bad-ref" } });
    expect(bad.returned).toBeUndefined();
    expect(bad.stderr).toContain("return reference nope not found");

    const scratch = await runFrontend({ ...baseOptions(), opts: { mode: "scratch" } });
    expect(scratch.result?.result).toMatchObject({ case: "ref", value: { id: "" } });
    expect(scratch.finalDefinition()?.def).toEqual([]);
  });

  it("reports a missing Return and the exit code", async () => {
    const none = await runFrontend({ ...baseOptions(), opts: { mode: "no-return" } });
    expect(none.exitCode).toBe(0);
    expect(none.returned).toBeUndefined();
    expect(none.calls).not.toContain("return");

    const exit2 = await runFrontend({ ...baseOptions(), opts: { mode: "exit-2" } });
    expect(exit2.exitCode).toBe(2);
    expect(exit2.result).toBeDefined();
  });

  it("lets a test fail or replace calls with intercept", async () => {
    const run = await runFrontend({
      ...baseOptions(),
      intercept: (method) =>
        method === "resolveImageConfig"
          ? { error: { code: 14, message: "registry unreachable", details: [{ typeUrl: "example.com/Detail+json", value: new TextEncoder().encode("{}") }] } }
          : undefined,
    });
    expect(run.resolves).toHaveLength(1); // still recorded
    // The status reaches the frontend with its details (grpc-status-details-bin) and comes back in Return.
    expect(run.error).toMatchObject({ code: 14, message: "registry unreachable", details: [{ typeUrl: "example.com/Detail+json" }] });

    const replaced = await runFrontend({
      ...baseOptions(),
      intercept: (method, request) =>
        method === "resolveImageConfig" && (request as { Ref: string }).Ref.includes("busybox")
          ? { response: { Digest: "sha256:feed", Config: new TextEncoder().encode('{"os":"plan9"}'), Ref: "docker.io/library/other:1" } }
          : undefined,
    });
    expect(report(replaced).image).toEqual({ digest: "sha256:feed", ref: "docker.io/library/other:1", config: { os: "plan9" } });
  });

  it("serves concurrent runs independently", async () => {
    const runs = await Promise.all(
      ["one", "two", "three"].map((word) =>
        runFrontend({ ...baseOptions(), locals: { dockerfile: { Dockerfile: `FROM ${word}\n` } }, opts: { word } }),
      ),
    );
    expect(runs.map((r) => utf8(r.result?.metadata.dockerfile))).toEqual(["FROM one\n", "FROM two\n", "FROM three\n"]);
    expect(runs.map((r) => report(r).opts.word)).toEqual(["one", "two", "three"]);
    expect(runs.map((r) => report(r).ref)).toEqual(["ref-1", "ref-1", "ref-1"]);
  });

  it("kills a frontend that does not exit and rejects with its stderr", async () => {
    const started = Date.now();
    await expect(runFrontend({ ...baseOptions(), opts: { mode: "hang" }, timeoutMs: 1_500 })).rejects.toThrow(
      /did not exit within 1500 ms \(calls so far: ping\)/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("flags stray bytes on stdout", async () => {
    const run = await runFrontend({ ...baseOptions(), opts: { mode: "stdout-junk" }, timeoutMs: 10_000 });
    expect(run.protocolError).toMatch(/did not start with the HTTP\/2 preface: "hello from a console.log/);
    expect(run.returned).toBeUndefined();
  });
});

describe("llb-inspect", () => {
  it("decodes, follows and dumps a definition", async () => {
    const run = await runFrontend(baseOptions());
    const fileDef = run.solves[2]!.Definition!;
    const ops = decodeDefinition(fileDef);
    expect(ops.map((o) => o.kind)).toEqual(["source", "file", "terminal"]);
    const head = headOf(fileDef)!;
    expect(head.kind).toBe("file");
    expect(inputsOf(fileDef, head).map((o) => [o.kind, o.output])).toEqual([["source", 0]]);
    expect(firstInputChain(fileDef).map((o) => o.kind)).toEqual(["file", "source"]);
    expect(reachable(fileDef).map((o) => o.kind)).toEqual(["source", "file"]);
    expect(findOps(fileDef, "file")).toHaveLength(1);
    expect(findByName(fileDef, /build context/)?.kind).toBe("source");

    const dumped = definitionToPlain(fileDef);
    expect(dumped.head).toBe("#1");
    expect(dumped.ops[1]).toMatchObject({
      "#": 1,
      kind: "file",
      inputs: ["#0[0]"],
      op: { file: { actions: [{ secondaryInput: "-1", action: { mkdir: { path: "/x", mode: 0o755, makeParents: true } } }] } },
    });
    expect(dumped.ops[0]).toMatchObject({
      name: "[internal] load build context",
      op: { source: { identifier: "local://context" } },
      metadata: { description: { "llb.customname": "[internal] load build context" }, caps: { "source.local": true } },
    });
    expect(() => JSON.parse(dumpDefinition(fileDef))).not.toThrow();
  });
});

const hasMain = existsSync(path.join(REPO_ROOT, "frontend/main.ts"));

describe.skipIf(!hasMain)("real entrypoint", () => {
  it("runs FROM scratch + COPY and Returns", async () => {
    const run = await runFrontend({
      locals: { dockerfile: { Dockerfile: "FROM scratch\nCOPY a /a\n" }, context: { a: "hello" } },
      timeoutMs: 30_000,
    });
    expect(run.protocolError).toBeUndefined();
    expect(run.pinged).toBe(true);
    expect(run.returned, `no Return; stderr:\n${run.stderr}`).toBeDefined();
    expect(run.exitCode).toBe(0);
    if (run.error) {
      console.warn("real frontend returned an error:", run.error.message);
      return;
    }
    console.info(`real frontend: Return after ${run.timings.returnMs} ms, exit after ${run.timings.exitMs} ms`);
    // The Dockerfile came from the dockerfile local, and the result copies from the context.
    expect(run.reads[0]).toMatchObject({ path: "Dockerfile" });
    const final = run.finalDefinition();
    expect(final).toBeDefined();
    expect(sourceOps(final!, "local://context")).toHaveLength(1);
    expect(findOps(final!, "file").length).toBeGreaterThan(0);
  }, 120_000);
});
