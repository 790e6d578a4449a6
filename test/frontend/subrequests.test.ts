// Subrequests through the real entrypoint and the fake LLBBridge: each
// requestid returns metadata only (an empty ref), reads the Dockerfile and
// nothing else it does not need, and errors carry BuildKit's typed details.
import { describe, expect, it } from "vitest";
import type { FakeRun } from "../fake-bridge/index.ts";
import { build, errorSource } from "./helpers.ts";

const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

const DOCKERFILE = `# VERSION the release
ARG VERSION=1.0
FROM busybox AS build
ARG VERSION
RUN --cache-ttl=12h --mount=type=secret,id=token --mount=type=cache,target=/cache,from=seed echo $VERSION
# app the application
FROM busybox AS app
COPY --from=build /etc/passwd /x
`;

function answer(run: FakeRun) {
  expect(run.error, run.stderr).toBeUndefined();
  expect(run.exitCode).toBe(0);
  const r = run.result!;
  expect(r.result.case).toBe("ref");
  expect(r.result.case === "ref" && r.result.value.id).toBe("");
  return { keys: Object.keys(r.metadata).sort(), json: JSON.parse(dec(r.metadata["result.json"])), text: dec(r.metadata["result.txt"]), version: dec(r.metadata.version) };
}

function typedDetails(run: FakeRun) {
  return run.error?.details.map((d) => [d.typeUrl, JSON.parse(dec(d.value))]);
}

describe("subrequests through the gateway", () => {
  it("frontend.outline: metadata only, cachefront's part included", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { requestid: "frontend.outline", "build-arg:BUILDKIT_CACHE_TTL_NOW": "1700000000", "context:seed": "local:seed" } });
    const a = answer(run);
    expect(a.keys).toEqual(["result.json", "result.txt", "version"]);
    expect(a.version).toBe("1.1.0");
    expect(a.json.name).toBe("app");
    expect(a.json.description).toBe("the application");
    expect(a.json.args).toEqual([{ name: "VERSION", description: "the release", value: "1.0", location: { ranges: [{ start: { line: 2 }, end: { line: 2 } }] } }]);
    expect(a.json.secrets.map((s: { name: string }) => s.name)).toEqual(["token"]);
    expect(Object.keys(a.json.cachefront).sort()).toEqual(["cacheTTL", "seededCacheMounts"]);
    expect(a.text).toMatch(/^TARGET:      app\nDESCRIPTION: the application\n\nBUILD ARG   VALUE   DESCRIPTION\nVERSION     1.0     the release\n/);
    // Converted, not built: the only solve reads the Dockerfile; no seed step runs.
    expect(run.solves).toHaveLength(1);
    expect(run.calls.filter((c) => c === "solve")).toHaveLength(1);
  });

  it("frontend.targets: needs no image", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { requestid: "frontend.targets" } });
    const a = answer(run);
    expect(a.keys).toEqual(["result.json", "result.txt", "version"]);
    expect(a.version).toBe("1.0.0");
    expect(a.text).toBe("TARGET        DESCRIPTION\nbuild         \napp (default) the application\n");
    expect(run.resolves).toHaveLength(0);
    expect(run.solves).toHaveLength(1);
  });

  it("frontend.subrequests.describe", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { requestid: "frontend.subrequests.describe" } });
    const a = answer(run);
    expect(a.keys).toEqual(["result.json", "result.txt", "version"]);
    expect(a.json.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["frontend.outline", "frontend.targets", "frontend.subrequests.describe"]));
    expect(a.text).toMatch(/^NAME {17}VERSION DESCRIPTION\n/);
  });

  it("an unknown request fails with errdefs.Subrequest+json", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { requestid: "frontend.bogus" } });
    expect(run.exitCode).toBe(0);
    expect(run.result).toBeUndefined();
    expect(run.error?.code).toBe(2);
    expect(run.error?.message).toBe("unsupported request frontend.bogus");
    expect(typedDetails(run)).toEqual([["github.com/moby/buildkit/errdefs.Subrequest+json", { name: "frontend.bogus" }]]);
  });

  it("a Dockerfile error in a subrequest points at its line", async () => {
    const run = await build({ dockerfile: "FROM busybox\nRUN --cache-ttl=soon true\n", opts: { requestid: "frontend.outline" } });
    expect(run.error?.message).toMatch(/--cache-ttl: invalid cache TTL "soon"/);
    expect(errorSource(run)?.ranges).toEqual([{ start: { line: 2 }, end: { line: 2 } }]);
  });

  it("accepts the caps buildx sends with a subrequest", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { requestid: "frontend.targets", "frontend.caps": "moby.buildkit.frontend.subrequests+forward" } });
    expect(answer(run).version).toBe("1.0.0");
  });

  it("a frontend.caps request for a cap cachefront lacks fails with errdefs.FrontendCap+json", async () => {
    const run = await build({ dockerfile: DOCKERFILE, opts: { "frontend.caps": "moby.buildkit.frontend.inputs,moby.buildkit.frontend.nope" } });
    expect(run.error?.code).toBe(12);
    expect(run.error?.message).toBe("unsupported frontend capability moby.buildkit.frontend.nope");
    expect(typedDetails(run)).toEqual([["github.com/moby/buildkit/errdefs.FrontendCap+json", { name: "moby.buildkit.frontend.nope" }]]);
    // Refused before anything else is asked.
    expect(run.calls).not.toContain("solve");
  });
});
