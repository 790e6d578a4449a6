import { describe, expect, it } from "vitest";
import { parseBuildOptions } from "./build-options.ts";

const env = (opts: Record<string, string>) => ({ opts: new Map(Object.entries(opts)), sessionId: "s", workers: [], product: "buildkit" });

describe("BUILDKIT_* build args", () => {
  it("BUILDKIT_SANDBOX_HOSTNAME overrides the hostname opt, as dockerui copies it", () => {
    expect(parseBuildOptions(env({ hostname: "opt", "build-arg:BUILDKIT_SANDBOX_HOSTNAME": "arg" })).hostname).toBe("arg");
    expect(parseBuildOptions(env({ hostname: "opt", "build-arg:BUILDKIT_SANDBOX_HOSTNAME": "" })).hostname).toBe("opt");
  });

  it("BUILDKIT_CACHE_MOUNT_NS and BUILDKIT_MULTI_PLATFORM", () => {
    const o = parseBuildOptions(env({ "build-arg:BUILDKIT_CACHE_MOUNT_NS": "ns", "build-arg:BUILDKIT_MULTI_PLATFORM": "1" }));
    expect([o.cacheMountNamespace, o.multiPlatform]).toEqual(["ns", true]);
    expect(() => parseBuildOptions(env({ "build-arg:BUILDKIT_MULTI_PLATFORM": "false", platform: "linux/amd64,linux/arm64" }))).toThrow(
      "returning multiple target platforms is not allowed",
    );
  });

  it("BUILDKIT_CONTEXT_KEEP_GIT_DIR is read as Go's ParseBool reads it; anything else keeps the default", () => {
    const keep = (v?: string) => parseBuildOptions(env(v === undefined ? {} : { "build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR": v })).keepGitDir;
    expect([keep("1"), keep("t"), keep("True"), keep("TRUE")]).toEqual([true, true, true, true]);
    expect([keep(), keep(""), keep("0"), keep("tRuE"), keep("yes")]).toEqual([false, false, false, false, false]);
  });

  it("SOURCE_DATE_EPOCH must be whole seconds", () => {
    expect(parseBuildOptions(env({ "build-arg:SOURCE_DATE_EPOCH": "1700000000" })).epoch?.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(() => parseBuildOptions(env({ "build-arg:SOURCE_DATE_EPOCH": "soon" }))).toThrow("invalid SOURCE_DATE_EPOCH: soon");
  });
});
