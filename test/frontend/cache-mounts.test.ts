/**
 * Portable cache mounts through the real entrypoint and the fake bridge:
 * seeding from a named context (a separate step, solved first), the RUN's
 * cache key independent of the seed, the official meaning of `from=` a stage,
 * missing contexts, bad `source=` paths, and exporting caches as the result.
 */
import { describe, expect, it } from "vitest";
import { decodeDefinition } from "../fake-bridge/llb-inspect.ts";
import { build, BUSYBOX_CONFIG, errorSource, execs, finalOps, names } from "./helpers.ts";

const FRONTEND_IMAGE = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/usr/local/bin:/usr/bin:/bin"], Entrypoint: ["node", "/cachefront/cachefront.mjs"] },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "33".repeat(32)] },
};
const IMAGES = {
  "docker.io/library/busybox:latest": { config: BUSYBOX_CONFIG },
  "docker.io/library/cachefront:dev": { config: FRONTEND_IMAGE },
};
const SEEDED = "FROM busybox\nRUN --mount=type=cache,target=/root/.cache/go-build,from=gocache go build ./...\n";

async function seededBuild(dockerfile: string, opts: Record<string, string> = {}) {
  return build({
    dockerfile,
    opts: { source: "cachefront:dev", "context:gocache": "local:gocache", ...opts },
    extra: { images: IMAGES, locals: { dockerfile: { Dockerfile: dockerfile }, context: {}, gocache: { "00/ab-d": "x" } } },
  });
}

describe("seeding a cache mount from a named context", () => {
  it("runs a seed step first, in cachefront's image, on the cache exactly as the RUN mounts it", async () => {
    const run = await seededBuild(SEEDED);
    expect(run.error).toBeUndefined();
    const seedSolve = run.solves.find((s) => s.Evaluate && names(decodeDefinition(s.Definition!)).some((n) => n.startsWith("[cachefront] seed")))!;
    expect(seedSolve).toBeDefined();
    expect(run.solves.indexOf(seedSolve)).toBeLessThan(run.solves.length - 1);
    const ops = decodeDefinition(seedSolve.Definition!);
    const seed = ops.find((o) => o.op.op.case === "exec")!;
    if (seed.op.op.case !== "exec") throw new Error();
    // Always runs (a per-invocation value in its env), but never with ignore-cache:
    // that would give it a fresh, empty cache mount.
    expect(seed.metadata?.ignoreCache).toBeFalsy();
    expect(seed.op.op.value.meta?.env).toContain("CACHEFRONT_INVOCATION=fake-session-0123456789");
    expect(seed.metadata?.description["llb.customname"]).toBe("[cachefront] seed cache /root/.cache/go-build from build context gocache");
    expect(seed.op.op.value.meta?.args).toEqual(["node", "/cachefront/cachefront.mjs", "cache-copier", "seed", "/run/cachefront/seed", "/run/cachefront/cache"]);
    expect(seed.op.op.value.network).toBe(2);
    const cache = seed.op.op.value.mounts.find((m) => m.dest === "/run/cachefront/cache")!;
    expect(cache.cacheOpt).toEqual(expect.objectContaining({ ID: "//root/.cache/go-build", sharing: 0 }));
    const seedMount = seed.op.op.value.mounts.find((m) => m.dest === "/run/cachefront/seed")!;
    expect(seedMount.readonly).toBe(true);
    const sources = ops.flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));
    expect(sources).toContain("local://gocache");
    // cachefront's own image, pinned by digest.
    expect(sources.some((s) => /^docker-image:\/\/docker\.io\/library\/cachefront:dev@sha256:[0-9a-f]{64}$/.test(s))).toBe(true);
  });

  it("keeps the RUN's cache key independent of the seed", async () => {
    const seeded = await seededBuild(SEEDED);
    const [runExec] = execs(finalOps(seeded));
    const cache = runExec!.mounts.find((m) => m.dest === "/root/.cache/go-build")!;
    expect(cache.input).toBe(-1n);
    expect(cache.cacheOpt?.ID).toBe("//root/.cache/go-build");
    const sources = finalOps(seeded).flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));
    expect(sources).not.toContain("local://gocache");
    // Without the context the build is the same, byte for byte: the seed is not in it.
    const unseeded = await build({ dockerfile: SEEDED, extra: { images: IMAGES } });
    const hex = (r: typeof seeded) => r.finalDefinition()!.def.map((d) => Buffer.from(d).toString("hex"));
    expect(hex(unseeded)).toEqual(hex(seeded));
  });

  it("seeds the same directory as a cache mount with uid/gid/mode", async () => {
    const run = await seededBuild("FROM busybox\nRUN --mount=type=cache,target=/c,id=npm,uid=1000,gid=1000,mode=0700,from=gocache true\n");
    const [runExec] = execs(finalOps(run));
    const cache = runExec!.mounts.find((m) => m.dest === "/c")!;
    const seedOps = decodeDefinition(run.solves.find((s) => s.Evaluate)!.Definition!);
    const seedExec = seedOps.find((o) => o.op.op.case === "exec")!;
    if (seedExec.op.op.case !== "exec") throw new Error();
    const seedCache = seedExec.op.op.value.mounts.find((m) => m.dest === "/run/cachefront/cache")!;
    expect(seedCache.cacheOpt?.ID).toBe("/npm");
    expect(seedCache.selector).toBe(cache.selector);
    expect(cache.selector).toBe("/cache");
    expect(names(seedOps)).toContain("[internal] setting cache mount permissions");
  });

  it("uses source= as the subtree to seed, and rejects one that escapes the context", async () => {
    const run = await seededBuild("FROM busybox\nRUN --mount=type=cache,target=/c,from=gocache,source=go/build true\n");
    const seedOps = decodeDefinition(run.solves.find((s) => s.Evaluate)!.Definition!);
    const seedExec = seedOps.find((o) => o.op.op.case === "exec")!;
    if (seedExec.op.op.case !== "exec") throw new Error();
    expect(seedExec.op.op.value.mounts.find((m) => m.dest === "/run/cachefront/seed")!.selector).toBe("/go/build");
    for (const bad of ["../outside", "/../etc", "a/../../b"]) {
      const r = await seededBuild(`FROM busybox\n\nRUN --mount=type=cache,target=/c,from=gocache,source=${bad} true\n`);
      expect(r.error?.message).toMatch(/escapes the build context/);
      expect(errorSource(r)?.ranges[0]?.start.line).toBe(3);
    }
  });

  it("warns and goes on with an empty cache when the context is missing", async () => {
    const run = await build({ dockerfile: SEEDED, extra: { images: IMAGES } });
    expect(run.error).toBeUndefined();
    const warnings = run.warnings.map((w) => new TextDecoder().decode(w.short));
    expect(warnings).toEqual([expect.stringMatching(/^CacheSeedContextMissing: cache mount \/root\/\.cache\/go-build has from=gocache, .*\(line 2\)$/)]);
    expect(run.warnings[0]!.ranges[0]?.start?.line).toBe(2);
    expect(run.warnings[0]!.info?.filename).toBe("Dockerfile");
    expect(run.solves.some((s) => s.Evaluate)).toBe(false);
  });

  it("keeps BuildKit's meaning for from= a stage: the base of a new cache", async () => {
    const run = await seededBuild("FROM busybox AS warm\nRUN mkdir /c\nFROM busybox\nRUN --mount=type=cache,target=/c,from=warm,source=/c true\n");
    const last = execs(finalOps(run)).pop()!;
    const cache = last.mounts.find((m) => m.dest === "/c")!;
    expect(cache.input).not.toBe(-1n);
    expect(cache.selector).toBe("/c");
    expect(run.solves.some((s) => s.Evaluate)).toBe(false);
  });

  it("fails clearly when cachefront's own image is unknown", async () => {
    const run = await build({ dockerfile: SEEDED, opts: { "context:gocache": "local:gocache" }, extra: { images: IMAGES, locals: { dockerfile: { Dockerfile: SEEDED }, context: {}, gocache: {} } } });
    expect(run.error?.message).toMatch(/cachefront's own image is unknown/);
  });
});

describe("exporting cache mounts", () => {
  it("makes the result one directory per id, always fresh, after the build", async () => {
    const run = await seededBuild("FROM busybox\nRUN --mount=type=cache,target=/root/.cache/go-build,id=gocache true\nRUN --mount=type=cache,target=/npm true\n", {
      "build-arg:BUILDKIT_CACHE_EXPORT": "gocache,/npm",
    });
    expect(run.error).toBeUndefined();
    const ops = finalOps(run);
    const exports = ops.filter((o) => o.metadata?.description["llb.customname"]?.startsWith("[cachefront] export cache"));
    expect(exports.map((o) => o.metadata?.description["llb.customname"])).toEqual(["[cachefront] export cache gocache to gocache/", "[cachefront] export cache /npm to npm/"]);
    for (const e of exports) {
      expect(e.metadata?.ignoreCache).toBeFalsy();
      if (e.op.op.case !== "exec") throw new Error();
      expect(e.op.op.value.meta?.env).toContain("CACHEFRONT_INVOCATION=fake-session-0123456789");
      const args = e.op.op.value.meta!.args;
      expect(args.slice(2, 4)).toEqual(["cache-copier", "export"]);
      // It reads the build's result, so it runs after every step that used the cache.
      expect(e.op.op.value.mounts.find((m) => m.dest === "/run/cachefront/build")?.readonly).toBe(true);
    }
    expect(ops[ops.length - 2]!.op.op.case).toBe("merge");
    const img = JSON.parse(new TextDecoder().decode(run.result!.metadata["containerimage.config"]!));
    expect(img).toEqual(expect.objectContaining({ os: "linux", architecture: "amd64" }));
  });

  it("rejects an export id that cannot name a directory", async () => {
    const run = await seededBuild("FROM busybox\n", { "build-arg:BUILDKIT_CACHE_EXPORT": "../up" });
    expect(run.error?.message).toMatch(/cache id "..\/up" cannot name a directory/);
  });
});
