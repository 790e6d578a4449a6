/**
 * cachefront's own checks, reported by its extensions during conversion and
 * governed by `# check=` like docker/dockerfile's rules.
 */
import { describe, expect, test } from "vitest";
import { lintInProcess, type LintCase } from "../../test/lint-in-process.ts";

async function found(dockerfile: string, c: LintCase = {}): Promise<string[]> {
  const r = await lintInProcess(dockerfile, { extensions: true, ...c });
  if (r.error) throw r.error;
  return r.found.filter((f) => f.startsWith("Cache"));
}

describe("CacheTTLTooShort", () => {
  test("a step's own TTL under a minute, as flag or comment", async () => {
    expect(await found("FROM busybox\nRUN --cache-ttl=30s true\n# org.mobyproject.buildkit.cache-ttl=59s\nRUN false\n")).toEqual([
      "CacheTTLTooShort@2: --cache-ttl=30s lets a cached result live at most 30s, so the step re-runs on nearly every build; use a TTL of a minute or more (30s is easily mistaken for 30m), or --no-cache-filter to always re-run a stage",
      "CacheTTLTooShort@4: # org.mobyproject.buildkit.cache-ttl=59s lets a cached result live at most 59s, so the step re-runs on nearly every build; use a TTL of a minute or more (30s is easily mistaken for 30m), or --no-cache-filter to always re-run a stage",
    ]);
    expect(await found("FROM busybox\nRUN --cache-ttl=1m true\nRUN --cache-ttl=1h30s true\nRUN --cache-ttl=0 true\n")).toEqual([]);
  });

  test("the build-wide default, once and without a location", async () => {
    const r = await lintInProcess("FROM busybox\nRUN a\nRUN b\n", { extensions: true, buildArgs: { BUILDKIT_CACHE_TTL: "10s" } });
    expect(r.found).toEqual([
      "CacheTTLTooShort@-: build arg BUILDKIT_CACHE_TTL=10s lets a cached result live at most 10s, so the step re-runs on nearly every build; use a TTL of a minute or more (30s is easily mistaken for 30m), or --no-cache-filter to always re-run a stage",
    ]);
    expect(r.warnings[0]!.lines).toEqual([]);
  });

  test("skipped like any rule", async () => {
    expect(await found("# check=skip=CacheTTLTooShort\nFROM busybox\nRUN --cache-ttl=5s true\n")).toEqual([]);
  });
});

describe("CacheTTLWithoutNetwork", () => {
  test("a TTL on a step that cannot reach the network", async () => {
    expect(await found("FROM busybox\nRUN --network=none --cache-ttl=1h make\n")).toEqual([
      "CacheTTLWithoutNetwork@2: --cache-ttl=1h on a RUN with --network=none: the step cannot download anything, so when its cache expires it re-runs to the same result; drop the TTL unless the command depends on the clock",
    ]);
  });

  test("not when the step reads a cache mount or a secret, which can change outside its cache key", async () => {
    const df = "FROM busybox\nRUN --network=none --cache-ttl=1h --mount=type=cache,target=/c make\nRUN --network=none --cache-ttl=1h --mount=type=secret,id=s make\n";
    expect(await found(df)).toEqual([]);
  });

  test("not for the build-wide default, nor with the network", async () => {
    expect(await found("FROM busybox\nRUN --network=none make\nRUN --cache-ttl=1h apt-get update\n", { buildArgs: { BUILDKIT_CACHE_TTL: "7d" } })).toEqual([]);
  });
});

describe("CacheExportUnused", () => {
  test("an id to export that no RUN mounts", async () => {
    const df = "FROM busybox\nRUN --mount=type=cache,id=gocache,target=/root/.cache/go-build go build\n";
    expect(await found(df, { buildArgs: { BUILDKIT_CACHE_EXPORT: "gocache,gocahce" } })).toEqual([
      "CacheExportUnused@-: BUILDKIT_CACHE_EXPORT asks for cache id gocahce, which no RUN of this build mounts; exporting whatever that cache holds",
    ]);
    expect(await found(df, { buildArgs: { BUILDKIT_CACHE_EXPORT: "gocache" } })).toEqual([]);
  });
});

describe("CacheSeedContextMissing", () => {
  test("from= names neither a given context, a stage nor an image that exists", async () => {
    const df = "FROM busybox\nRUN --mount=type=cache,target=/root/.cache/go-build,from=gocache go build\n";
    const [w, ...rest] = await found(df, { missingImages: ["docker.io/library/gocache:latest"] });
    expect(rest).toEqual([]);
    expect(w).toMatch(/^CacheSeedContextMissing@2: cache mount \/root\/\.cache\/go-build has from=gocache, which is neither a build context given with --build-context nor an image that could be resolved; the cache starts empty \(.*not found.*\)$/);
    expect(await found(df)).toEqual([]);
    expect(await found("FROM busybox AS gocache\nFROM busybox\n" + df.split("\n")[1] + "\n")).toEqual([]);
  });
});
