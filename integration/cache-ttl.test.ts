/**
 * Per-step cache expiry on a real engine, with a pinned clock
 * (BUILDKIT_CACHE_TTL_NOW): within a bucket the TTL step is CACHED and its
 * output unchanged; one TTL later it and its dependents re-run while an
 * independent stage keeps its cache; and the same holds on a wiped builder
 * fed from `--cache-to/--cache-from type=local`.
 */
import { afterAll, describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expiryPoint } from "../frontend/extensions/cache-ttl/bucket.ts";
import { buildx, docker, requireImage, stepRan, tempDirs } from "./harness/index.ts";

describe("RUN --cache-ttl on the engine", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());
  const dir = temps.dir;

  /** A Dockerfile whose steps are unique to this run, so earlier runs' cache cannot interfere. */
  async function project() {
    const token = randomUUID();
    const ttlStep = `RUN --cache-ttl=1h echo ${token} > /token && cat /proc/sys/kernel/random/uuid > /stamp`;
    const dockerfile = `# syntax=cachefront:dev
FROM busybox AS fetch
${ttlStep}
RUN cat /stamp > /derived && cat /proc/sys/kernel/random/uuid >> /derived

FROM busybox AS independent
RUN echo ${token} > /token && cat /proc/sys/kernel/random/uuid > /indep

FROM scratch
COPY --from=fetch /stamp /derived /
COPY --from=independent /indep /
`;
    return { ctx: await temps.context({ Dockerfile: dockerfile }), point: expiryPoint(ttlStep, 3600, 1_750_000_000) };
  }

  async function buildAt(ctx: string, now: number, extra: string[] = []) {
    const out = await dir();
    const r = await buildx(["--build-arg", `BUILDKIT_CACHE_TTL_NOW=${now}`, "--output", `type=local,dest=${out}`, ...extra, ctx]);
    expect(r.code, r.stderr).toBe(0);
    const read = (f: string) => readFile(path.join(out, f), "utf8");
    return { progress: r.stderr, stamp: await read("stamp"), derived: await read("derived"), indep: await read("indep") };
  }

  test("reuses the step within its bucket and re-runs it and its dependents after", async (t) => {
    requireImage(t);
    const { ctx, point } = await project();
    const first = await buildAt(ctx, point.validFrom + 5);
    expect(stepRan(first.progress, "RUN --cache-ttl=1h")).toBe(true);

    const same = await buildAt(ctx, point.validUntil - 5);
    expect(stepRan(same.progress, "RUN --cache-ttl=1h")).toBe(false);
    expect(stepRan(same.progress, "RUN cat /stamp")).toBe(false);
    expect(same.stamp).toBe(first.stamp);
    expect(same.derived).toBe(first.derived);

    const later = await buildAt(ctx, point.validUntil + 5);
    expect(stepRan(later.progress, "RUN --cache-ttl=1h")).toBe(true);
    expect(stepRan(later.progress, "RUN cat /stamp")).toBe(true);
    expect(later.stamp).not.toBe(first.stamp);
    expect(later.derived).not.toBe(first.derived);
    // The stage that does not depend on the TTL step keeps its cache.
    expect(stepRan(later.progress, "[independent 2/2] RUN")).toBe(false);
    expect(later.indep).toBe(first.indep);
  });

  test("expires the same way on a wiped builder fed from --cache-from", async (t) => {
    requireImage(t);
    const { ctx, point } = await project();
    const cache = await dir();
    const prune = async () => {
      const r = await docker(["buildx", "prune", "-af"]);
      expect(r.code, r.stderr).toBe(0);
    };

    const first = await buildAt(ctx, point.validFrom + 5, ["--cache-to", `type=local,dest=${cache},mode=max`]);
    await prune();
    const within = await buildAt(ctx, point.validUntil - 5, ["--cache-from", `type=local,src=${cache}`]);
    expect(stepRan(within.progress, "RUN --cache-ttl=1h")).toBe(false);
    expect(within.stamp).toBe(first.stamp);

    await prune();
    const after = await buildAt(ctx, point.validUntil + 5, ["--cache-from", `type=local,src=${cache}`]);
    expect(stepRan(after.progress, "RUN --cache-ttl=1h")).toBe(true);
    expect(after.stamp).not.toBe(first.stamp);
    expect(stepRan(after.progress, "[independent 2/2] RUN")).toBe(false);
    expect(after.indep).toBe(first.indep);
  });
});
