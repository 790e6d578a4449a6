// Build checks through the real entrypoint and the fake LLBBridge: warnings
// go out with the Warn API as the official frontend sends them, and
// `error=true` fails the build after them.
import { describe, expect, it } from "vitest";
import type { FakeRun } from "../fake-bridge/index.ts";
import { decodeDefinition } from "../fake-bridge/llb-inspect.ts";
import { build } from "./helpers.ts";

const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

const DOCKERFILE = `FROM busybox as Build
MAINTAINER me@example.org
ENV FOO bar
RUN --cache-ttl=30s true
`;

function shorts(run: FakeRun): string[] {
  return run.warnings.map((w) => dec(w.short));
}

describe("warnings during a build", () => {
  it("carry the rule's description, URL and the Dockerfile lines", async () => {
    const run = await build({ dockerfile: DOCKERFILE });
    expect(run.error, run.stderr).toBeUndefined();
    expect(shorts(run)).toEqual([
      "StageNameCasing: Stage name 'Build' should be lowercase (line 1)",
      "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)",
      "MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 2)",
      'LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format (line 3)',
      expect.stringMatching(/^CacheTTLTooShort: --cache-ttl=30s lets a cached result live at most 30s, .* \(line 4\)$/),
    ]);
    const w = run.warnings[2]!;
    expect(w.level).toBe(1n);
    expect(w.detail.map(dec)).toEqual(["The MAINTAINER instruction is deprecated, use a label instead to define an image author"]);
    expect(w.url).toBe("https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/");
    expect(w.ranges.map((r) => [r.start?.line, r.end?.line])).toEqual([[2, 2]]);
    expect(w.info?.filename).toBe("Dockerfile");
    expect(dec(w.info?.data)).toBe(DOCKERFILE);
    expect(w.info?.language).toBe("Dockerfile");
    // Attached to the vertex that loaded the Dockerfile, as upstream.
    expect(w.digest).toBe(decodeDefinition(run.solves[0]!.Definition!)[0]!.digest);
    expect(run.warnings[4]!.url).toBe("docs/checks.md#cachettltooshort");
  });

  it("are sent once for a multi-platform build (the first platform's)", async () => {
    const run = await build({ dockerfile: "FROM busybox AS Build\nCMD echo hi\n", opts: { platform: "linux/amd64,linux/arm64" } });
    expect(run.error, run.stderr).toBeUndefined();
    expect(shorts(run)).toEqual([
      "StageNameCasing: Stage name 'Build' should be lowercase (line 1)",
      "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)",
    ]);
  });

  it("never change what is built", async () => {
    const dockerfile = "FROM busybox\nCOPY a.txt /\n";
    const quiet = await build({ dockerfile: "# check=skip=all\n" + dockerfile, context: { "a.txt": "a" } });
    const noisy = await build({ dockerfile: "# check=skip=all\n" + dockerfile.replace("FROM busybox", "from busybox as X"), context: { "a.txt": "a" } });
    expect(quiet.warnings).toEqual([]);
    expect(noisy.warnings).toEqual([]);
    expect(quiet.finalDefinition()!.def.length).toBe(noisy.finalDefinition()!.def.length);
  });

  it("error=true: all warnings are sent, then the build fails naming the rules", async () => {
    const run = await build({ dockerfile: "# check=error=true\n" + DOCKERFILE });
    expect(run.warnings).toHaveLength(5);
    expect(run.error?.message).toBe("lint violation found for rules: StageNameCasing, FromAsCasing, MaintainerDeprecated, LegacyKeyValueFormat, CacheTTLTooShort");
    // Nothing was built: the solves loaded the Dockerfile and .dockerignore.
    expect(run.solves).toHaveLength(2);
  });

  it("BUILDKIT_DOCKERFILE_CHECK replaces the directive; a bad value fails the build", async () => {
    const skipped = await build({ dockerfile: "# check=error=true\n" + DOCKERFILE, opts: { "build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=all" } });
    expect(skipped.error, skipped.stderr).toBeUndefined();
    expect(skipped.warnings).toEqual([]);
    const bad = await build({ dockerfile: DOCKERFILE, opts: { "build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip" } });
    expect(bad.error?.message).toBe('failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: invalid check option "skip"');
  });
});
