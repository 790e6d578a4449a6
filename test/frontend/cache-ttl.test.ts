/**
 * `RUN --cache-ttl` through the real entrypoint and the fake bridge: where
 * the TTL comes from, what goes into the exec (and what does not), progress
 * names, errors, and the engine fallback.
 */
import { describe, expect, it } from "vitest";
import { expiryPoint } from "../../frontend/extensions/cache-ttl/bucket.ts";
import { BUILDKIT_V024_LLB_CAPS } from "../fake-bridge/index.ts";
import { build, errorSource, execs, finalOps, names } from "./helpers.ts";

const NOW = 1_750_000_000;
const clock = (now = NOW) => ({ "build-arg:BUILDKIT_CACHE_TTL_NOW": String(now) });
const TTL_RUN = "RUN --cache-ttl=1h apt-get update";

function expiryIds(run: Awaited<ReturnType<typeof build>>): (string | undefined)[] {
  return execs(finalOps(run)).map((e) => e.secretenv.find((s) => s.ID.startsWith("cachefront.cache-ttl/"))?.ID);
}

describe("RUN --cache-ttl", () => {
  it("puts the expiry bucket in the step's cache key, invisibly to the process", async () => {
    const run = await build({ dockerfile: `FROM busybox\n${TTL_RUN}\nRUN echo after\n`, opts: clock() });
    expect(run.error).toBeUndefined();
    const [ttl, after] = execs(finalOps(run));
    const bucket = expiryPoint(TTL_RUN, 3600, NOW).bucket;
    expect(ttl!.secretenv).toEqual([expect.objectContaining({ ID: `cachefront.cache-ttl/3600/${bucket}`, optional: true })]);
    // Nothing the command can see: env, args and mounts are those of a plain RUN.
    expect(ttl!.meta?.env.filter((e) => e.includes("CACHE_TTL"))).toEqual([]);
    expect(ttl!.mounts.map((m) => m.dest)).toEqual(["/"]);
    expect(ttl!.meta?.args).toEqual(["/bin/sh", "-c", "apt-get update"]);
    // Later steps carry no branch point of their own: they follow through their input.
    expect(after!.secretenv).toEqual([]);
  });

  it("keeps the definition byte-identical within a bucket and changes it in the next", async () => {
    const p = expiryPoint(TTL_RUN, 3600, NOW);
    const df = `FROM busybox\n${TTL_RUN}\n`;
    const hex = async (now: number) => (await build({ dockerfile: df, opts: clock(now) })).finalDefinition()!.def.map((d) => Buffer.from(d).toString("hex")).join();
    const first = await hex(p.validFrom);
    expect(await hex(p.validUntil - 1)).toBe(first);
    expect(await hex(p.validUntil)).not.toBe(first);
  });

  it("adds no vertex: a TTL build has exactly the ops of the same build without TTL", async () => {
    const withTtl = finalOps(await build({ dockerfile: `FROM busybox\n${TTL_RUN}\n`, opts: clock() }));
    const without = finalOps(await build({ dockerfile: "FROM busybox\nRUN apt-get update\n", opts: clock() }));
    expect(withTtl.map((o) => o.kind)).toEqual(without.map((o) => o.kind));
  });

  it("shows the TTL in progress names, for the flag, the comment and the default", async () => {
    const flag = names(finalOps(await build({ dockerfile: `FROM busybox\n${TTL_RUN}\n`, opts: clock() })));
    expect(flag).toContain("[2/2] RUN --cache-ttl=1h apt-get update");
    const comment = names(finalOps(await build({ dockerfile: "FROM busybox\n# org.mobyproject.buildkit.cache-ttl=12h\nRUN apt-get update\n", opts: clock() })));
    expect(comment).toContain("[2/2] RUN --cache-ttl=12h apt-get update");
    const def = names(finalOps(await build({ dockerfile: "FROM busybox\nRUN apt-get update\n", opts: { ...clock(), "build-arg:BUILDKIT_CACHE_TTL": "7d" } })));
    expect(def).toContain("[2/2] RUN --cache-ttl=7d apt-get update");
  });

  it("takes the flag over the comment, and both over the default; 0 turns expiry off", async () => {
    const run = await build({
      dockerfile: [
        "FROM busybox",
        "# org.mobyproject.buildkit.cache-ttl=12h",
        "RUN --cache-ttl=30m echo flag-wins",
        "# org.mobyproject.buildkit.cache-ttl=2h",
        "RUN echo comment-wins",
        "RUN echo default",
        "RUN --cache-ttl=0 echo off",
        "# org.mobyproject.buildkit.cache-ttl=none",
        "RUN echo off-too",
        "",
      ].join("\n"),
      opts: { ...clock(), "build-arg:BUILDKIT_CACHE_TTL": "7d" },
    });
    const ids = expiryIds(run).map((id) => id?.split("/")[1]);
    expect(ids).toEqual(["1800", "7200", "604800", undefined, undefined]);
  });

  it("uses the frontend's clock when not pinned", async () => {
    const run = await build({ dockerfile: `FROM busybox\n${TTL_RUN}\n` });
    const now = Math.floor(Date.now() / 1000);
    const bucket = Number(expiryIds(run)[0]!.split("/")[2]);
    expect([expiryPoint(TTL_RUN, 3600, now - 5).bucket, expiryPoint(TTL_RUN, 3600, now).bucket]).toContain(bucket);
  });

  it.each([
    ["a bad flag value", "FROM busybox\nRUN --cache-ttl=soon true\n", 2, /--cache-ttl: invalid cache TTL "soon"/],
    ["a bad comment value", "FROM busybox\n# org.mobyproject.buildkit.cache-ttl=12x\nRUN true\n", 3, /cache-ttl: invalid cache TTL "12x"/],
  ])("fails on %s naming the line", async (_what, dockerfile, line, message) => {
    const run = await build({ dockerfile, opts: clock() });
    expect(run.error?.message).toMatch(message);
    expect(errorSource(run)?.ranges[0]?.start.line).toBe(line);
  });

  it("fails on a bad default or clock with a clear message", async () => {
    const bad = await build({ dockerfile: "FROM busybox\nRUN true\n", opts: { "build-arg:BUILDKIT_CACHE_TTL": "forever" } });
    expect(bad.error?.message).toMatch(/build arg BUILDKIT_CACHE_TTL: invalid cache TTL "forever"/);
    const clockBad = await build({ dockerfile: "FROM busybox\nRUN true\n", opts: { "build-arg:BUILDKIT_CACHE_TTL_NOW": "yesterday" } });
    expect(clockBad.error?.message).toMatch(/BUILDKIT_CACHE_TTL_NOW/);
  });

  it("falls back to a read-only mount under /dev when the engine has no secret env", async () => {
    const run = await build({
      dockerfile: `FROM busybox\n${TTL_RUN}\n`,
      opts: clock(),
      extra: { llbCaps: BUILDKIT_V024_LLB_CAPS.filter((c) => c !== "exec.secretenv") },
    });
    const [e] = execs(finalOps(run));
    expect(e!.secretenv).toEqual([]);
    const m = e!.mounts.find((x) => x.dest === "/dev/.cachefront-cache-ttl");
    expect(m?.readonly).toBe(true);
    expect(names(finalOps(run))).toContain("[internal] cache expiry point");
  });
});
