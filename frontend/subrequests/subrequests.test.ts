// Subrequest results, in process: JSON and text of outline, targets and
// describe, cachefront's part of the outline, and the unknown-request error.
// Expected texts marked "engine" are what `docker buildx build --print=...`
// printed for the same Dockerfile with the engine's built-in (0.13) frontend.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { parseBuildOptions } from "../convert/build-options.ts";
import { parseDockerfile } from "../dockerfile/parser/index.ts";
import { createExtensions } from "../extensions/index.ts";
import { TypedError } from "../gateway/errors.ts";
import type { Gateway } from "../gateway/session.ts";
import { DefinitionSchema } from "../gen/moby/buildkit/solver/ops_pb.ts";
import { stubGateway } from "../../test/in-process.ts";
import { handleSubrequest } from "./index.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function ask(requestId: string, dockerfile: string, opts: Record<string, string> = {}, gateway: Partial<Gateway> = {}) {
  const env = { opts: new Map(Object.entries(opts)), sessionId: "s", workers: [], product: "test" };
  const gw: Gateway = { ...stubGateway(), ...gateway, env };
  const options = parseBuildOptions(env);
  const data = enc(dockerfile);
  const res = await handleSubrequest(requestId, {
    gw,
    options,
    dockerfile: { filename: "Dockerfile", data, definition: create(DefinitionSchema, {}), loaderDigest: "" },
    sourceMap: { filename: "Dockerfile", language: "Dockerfile", data },
    extensions: createExtensions(options, gw.caps),
    parsed: () => parseDockerfile(dockerfile),
  });
  const md = res.metadata;
  return { keys: Object.keys(md).sort(), ref: res.ref, refs: res.refs, json: JSON.parse(dec(md["result.json"])), raw: dec(md["result.json"]), text: dec(md["result.txt"]), version: dec(md.version) };
}

const at = (line: number, end = line) => ({ ranges: [{ start: { line }, end: { line: end } }] });

const ARGS_DOCKERFILE = `# REG the <registry> & mirror
ARG REG=docker.io
# IMG image name
ARG IMG=\${REG}/library/busybox
ARG PLAT=linux/amd64
ARG NOTUSED=x

# Base the base stage
FROM --platform=$PLAT $IMG AS Base
ARG TARGETPLATFORM
ARG A=1 B=2
# C third
ARG C=\${A}-c
RUN --mount=type=ssh,id=gh,required --mount=type=secret,id=$A echo

# final the final stage
FROM base AS final
`;

describe("frontend.outline", () => {
  it("lists used args (FROM expansions, their dependencies, stage ARGs), secrets and ssh as upstream", async () => {
    const r = await ask("frontend.outline", ARGS_DOCKERFILE);
    expect(r.keys).toEqual(["result.json", "result.txt", "version"]);
    expect(r.ref).toBeUndefined();
    expect(r.refs).toBeUndefined();
    expect(r.version).toBe("1.0.0");
    expect(r.json).toEqual({
      name: "final",
      description: "the final stage",
      args: [
        { name: "REG", description: "the <registry> & mirror", value: "docker.io", location: at(2) },
        { name: "IMG", description: "image name", value: "docker.io/library/busybox", location: at(4) },
        { name: "PLAT", value: "linux/amd64", location: at(5) },
        { name: "A", value: "1", location: at(11) },
        { name: "B", value: "2", location: at(11) },
        { name: "C", description: "third", value: "1-c", location: at(13) },
      ],
      secrets: [{ name: "1", location: at(14) }],
      ssh: [{ name: "gh", required: true, location: at(14) }],
      sources: [Buffer.from(ARGS_DOCKERFILE).toString("base64")],
    });
    expect(r.raw).toContain('"description": "the \\u003cregistry\\u003e \\u0026 mirror"');
    // engine (its order of A and B, which share a line, is random; ours is the written one)
    expect(r.text).toBe(`TARGET:      final
DESCRIPTION: the final stage

BUILD ARG   VALUE                       DESCRIPTION
REG         docker.io                   the <registry> & mirror
IMG         docker.io/library/busybox   image name
PLAT        linux/amd64                 
A           1                           
B           2                           
C           1-c                         third

SECRET   REQUIRED
1        

SSH   REQUIRED
gh    true

`);
  });

  it("follows the target opt and build args, and lists cache mounts", async () => {
    const dockerfile = `ARG V=1
FROM busybox AS one
ARG V
RUN --mount=type=cache,target=/c1 --mount=type=secret,id=s1 true
FROM busybox AS two
ARG W=2
RUN --mount=type=cache,id=shared-cache,target=/c2,sharing=locked --mount=type=secret,id=s2,required=true true
COPY --from=one /a /a
`;
    const r = await ask("frontend.outline", dockerfile, { target: "two", "build-arg:W": "given" });
    expect(r.json.name).toBe("two");
    expect(r.json.args).toEqual([
      { name: "V", value: "1", location: at(1) },
      { name: "W", value: "given", location: at(6) },
    ]);
    expect(r.json.secrets.map((s: { name: string }) => s.name)).toEqual(["s1", "s2"]);
    expect(r.json.cache).toEqual([
      { ID: "/c1", target: "/c1", sharing: "shared", location: at(4) },
      { ID: "shared-cache", target: "/c2", sharing: "locked", location: at(7) },
    ]);
    expect(r.text).toContain("TARGET: two\n\n");
    expect(r.text).toContain("CACHE MOUNT    TARGET   SHARING\n/c1            /c1      shared\nshared-cache   /c2      locked\n");
    // two reads from one, so it has one's parameters too; one has only its own.
    expect((await ask("frontend.outline", dockerfile, { target: "one" })).json.secrets).toEqual([{ name: "s1", location: at(4) }]);
  });

  it("is empty (no text) for a Dockerfile without parameters, and fails on a missing target", async () => {
    const r = await ask("frontend.outline", "FROM busybox\nRUN true\n");
    expect(r.text).toBe("");
    expect(Object.keys(r.json)).toEqual(["sources"]);
    await expect(ask("frontend.outline", "FROM busybox AS a\n", { target: "nope" })).rejects.toThrow('target stage "nope" could not be found');
  });

  it("adds cachefront's TTL steps under cachefront.cacheTTL, and answers version 1.1.0", async () => {
    const dockerfile = `FROM busybox AS build
RUN --cache-ttl=24h apt-get update
# org.mobyproject.buildkit.cache-ttl=1h
RUN make
RUN --cache-ttl=none make install
RUN echo default
`;
    const r = await ask("frontend.outline", dockerfile, { "build-arg:BUILDKIT_CACHE_TTL_NOW": "1700000000", "build-arg:BUILDKIT_CACHE_TTL": "7d" });
    expect(r.version).toBe("1.1.0");
    const steps = r.json.cachefront.cacheTTL;
    expect(steps.map((s: Record<string, unknown>) => [s.stage, s.ttl, s.seconds, s.setBy, s.location])).toEqual([
      ["build", "24h", 86400, "flag", at(2)],
      ["build", "1h", 3600, "comment", at(4)],
      ["build", "7d", 604800, "default", at(6)],
    ]);
    // The bucket (see docs/cache-ttl.md): it starts at most one TTL before now and ends one TTL later.
    for (const s of steps) {
      const start = Date.parse(s.bucketStart) / 1000;
      expect(start).toBeLessThanOrEqual(1700000000);
      expect(start).toBeGreaterThan(1700000000 - s.seconds);
      expect(Date.parse(s.expires) / 1000 - start).toBe(s.seconds);
      expect(s.bucketStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(steps[0].step).toBe("RUN --cache-ttl=24h apt-get update");
    expect(r.text).toContain(
      `CACHE TTL STEP   STAGE   TTL   SET BY               BUCKET START           EXPIRES\nline 2           build   24h   --cache-ttl          ${steps[0].bucketStart}   ${steps[0].expires}\n`,
    );
    expect(r.text).toContain("line 6           build   7d    BUILDKIT_CACHE_TTL");
  });

  it("adds seeded cache mounts with their context, given or not", async () => {
    const dockerfile = `FROM busybox
RUN --mount=type=cache,target=/root/.cache/go-build,from=gocache \\
    --mount=type=cache,id=gomod,target=/go/pkg/mod,from=gomod,source=mod \\
    --mount=type=cache,target=/npm,from=node:20 true
`;
    const missing = async (ref: string) => {
      if (ref.includes("gomod")) throw new Error(`${ref}: not found`);
      return stubGateway().resolveImageConfig(ref, {});
    };
    const r = await ask("frontend.outline", dockerfile, { "context:gocache": "local:gocache" }, { resolveImageConfig: missing });
    expect(r.version).toBe("1.1.0");
    expect(r.json.cachefront.seededCacheMounts).toEqual([
      { ID: "/root/.cache/go-build", target: "/root/.cache/go-build", context: "gocache", contextGiven: true, location: at(2, 4) },
      { ID: "gomod", target: "/go/pkg/mod", context: "gomod", source: "mod", contextGiven: false, otherwise: "empty cache", location: at(2, 4) },
      { ID: "/npm", target: "/npm", context: "node:20", contextGiven: false, otherwise: "image as base", location: at(2, 4) },
    ]);
    expect(r.text).toContain(`SEEDED CACHE            TARGET                  FROM CONTEXT   CONTEXT GIVEN
/root/.cache/go-build   /root/.cache/go-build   gocache        yes
gomod                   /go/pkg/mod             gomod (mod)    no: empty cache
/npm                    /npm                    node:20        no: image as base
`);
  });

  it("adds requested cache exports", async () => {
    const r = await ask("frontend.outline", "FROM busybox\nRUN --mount=type=cache,id=gocache,target=/c true\n", { "build-arg:BUILDKIT_CACHE_EXPORT": "gocache,/other" });
    expect(r.json.cachefront.cacheExports).toEqual([
      { ID: "gocache", directory: "gocache/", mounted: true },
      { ID: "/other", directory: "other/", mounted: false },
    ]);
    expect(r.text).toContain("CACHE EXPORT   DIRECTORY   MOUNTED BY A RUN\ngocache        gocache/    yes\n/other         other/      no\n");
  });
});

describe("frontend.targets", () => {
  it("lists stages with descriptions, bases and platforms as written, and the default", async () => {
    const r = await ask("frontend.targets", ARGS_DOCKERFILE);
    expect(r.keys).toEqual(["result.json", "result.txt", "version"]);
    expect(r.version).toBe("1.0.0");
    expect(r.json).toEqual({
      targets: [
        { name: "base", base: "$IMG", platform: "$PLAT", location: at(9) },
        { name: "final", default: true, description: "the final stage", base: "base", location: at(17) },
      ],
      sources: [Buffer.from(ARGS_DOCKERFILE).toString("base64")],
    });
    // engine
    expect(r.text).toBe("TARGET          DESCRIPTION\nbase            \nfinal (default) the final stage\n");
  });

  it("names an unnamed default target (default), and needs no image", async () => {
    const r = await ask("frontend.targets", "# build compiles\nFROM golang AS build\n\nFROM busybox\n", {}, {
      resolveImageConfig: () => Promise.reject(new Error("targets must not resolve images")),
    });
    expect(r.text).toBe("TARGET    DESCRIPTION\nbuild     compiles\n(default) \n");
    expect(r.json.targets[1]).toEqual({ default: true, base: "busybox", location: at(4) });
  });
});

describe("frontend.subrequests.describe", () => {
  it("lists the requests as upstream", async () => {
    const r = await ask("frontend.subrequests.describe", "FROM busybox\n");
    const md = [
      { name: "result.json", description: "" },
      { name: "result.txt", description: "" },
    ];
    const names = r.json.map((x: { name: string }) => x.name);
    expect(names.at(-1)).toBe("frontend.subrequests.describe");
    expect(r.json.find((x: { name: string }) => x.name === "frontend.outline")).toEqual({
      name: "frontend.outline",
      version: "1.0.0",
      type: "rpc",
      description: "List all parameters current build target supports",
      opts: [{ name: "target", description: "Target build stage" }],
      inputs: null,
      metadata: md,
      refs: null,
    });
    expect(r.json.find((x: { name: string }) => x.name === "frontend.targets")).toEqual({
      name: "frontend.targets",
      version: "1.0.0",
      type: "rpc",
      description: "List all targets current build supports",
      opts: [],
      inputs: null,
      metadata: md,
      refs: null,
    });
    expect(r.json.at(-1)).toEqual({ name: "frontend.subrequests.describe", version: "1.0.0", type: "rpc", description: "List available subrequest types", opts: null, inputs: null, metadata: md, refs: null });
    // engine (before any request registered after targets, e.g. lint)
    expect(r.text.startsWith("NAME                 VERSION DESCRIPTION\noutline              1.0.0   List all parameters current build target supports\ntargets              1.0.0   List all targets current build supports\n")).toBe(true);
    expect(r.text.endsWith("subrequests.describe 1.0.0   List available subrequest types\n")).toBe(true);
  });
});

describe("unknown requests", () => {
  it("fail with upstream's message and an errdefs.Subrequest+json detail", async () => {
    const err = await ask("frontend.bogus", "FROM busybox\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypedError);
    expect((err as TypedError).message).toBe("unsupported request frontend.bogus");
    expect((err as TypedError).details).toEqual([{ typeUrl: "github.com/moby/buildkit/errdefs.Subrequest+json", json: { name: "frontend.bogus" } }]);
  });
});
