/**
 * Build checks on the real engine through buildx 0.13. The engine's built-in
 * frontend (BuildKit 0.13) has no checks at all (they came with BuildKit
 * 0.14 / dockerfile 1.8), so cachefront's are tested alone; the built-in
 * frontend only shows that the same Dockerfile builds without a word.
 *
 * What buildx 0.13 prints for warnings sent with the Warn API: nothing in the
 * step log; after the build, "N warnings found (use --debug to expand):" and
 * one ` - <Rule>: <message> (line N)` per warning; with `docker --debug`,
 * each one followed by the rule's description, "More info: <url>" and the
 * Dockerfile snippet with `>>>` on its lines.
 */
import { afterAll, describe, expect, test } from "vitest";
import { buildx, docker, requireImage, tempDirs } from "./harness/index.ts";

const SYNTAX = "# syntax=cachefront:dev\n";
const BODY = `FROM busybox as Build
MAINTAINER me@example.org
ENV FOO bar
CMD echo hi
`;

describe("build checks in buildx", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  test("warnings are listed after the build, expanded with --debug; the built-in 0.13 frontend has none", async (t) => {
    requireImage(t);
    const builtin = await buildx([await temps.context({ Dockerfile: BODY })]);
    expect(builtin.code, builtin.stderr).toBe(0);
    expect(builtin.stderr).not.toMatch(/warnings? found/);

    const dir = await temps.context({ Dockerfile: SYNTAX + BODY });
    const ours = await buildx([dir]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stderr).toMatch(/5 warnings found \(use --debug to expand\):/);
    for (const short of [
      "StageNameCasing: Stage name 'Build' should be lowercase (line 2)",
      "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)",
      "MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 3)",
      'LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format (line 4)',
      "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 5)",
    ]) {
      expect(ours.stderr).toContain(` - ${short}\n`);
    }

    const debug = await docker(["--debug", "buildx", "build", "--progress=plain", dir]);
    expect(debug.code, debug.stderr).toBe(0);
    expect(debug.stderr).toContain(
      [
        " - MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 3)",
        "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
        "More info: https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
        "Dockerfile:3",
        "--------------------",
        "   1 |     # syntax=cachefront:dev",
        "   2 |     FROM busybox as Build",
        "   3 | >>> MAINTAINER me@example.org",
        "   4 |     ENV FOO bar",
        "   5 |     CMD echo hi",
        "--------------------",
      ].join("\n"),
    );
  });

  test("# check=error=true fails the build after the warnings; BUILDKIT_DOCKERFILE_CHECK overrides it", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: SYNTAX + "# check=skip=StageNameCasing;error=true\n" + BODY });
    const failed = await buildx([dir]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/4 warnings found/);
    expect(failed.stderr).not.toContain(" - StageNameCasing");
    expect(failed.stderr).toContain("ERROR: failed to solve: lint violation found for rules: FromAsCasing, MaintainerDeprecated, LegacyKeyValueFormat, JSONArgsRecommended");
    // Nothing ran: the failure comes before the build.
    expect(failed.stderr).not.toMatch(/\] RUN |\[1\/1\] FROM/);

    const skipped = await buildx(["--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=all", dir]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).not.toMatch(/warnings? found/);
  });

  test("cachefront's own checks: a TTL under a minute, a seed context that is missing", async (t) => {
    requireImage(t);
    const dir = await temps.context({
      Dockerfile: SYNTAX + 'FROM busybox\nRUN --cache-ttl=30s --mount=type=cache,target=/c,from=nosuchcontext ["true"]\n',
    });
    const r = await buildx([dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ - CacheTTLTooShort: --cache-ttl=30s lets a cached result live at most 30s, .*\(line 3\)\n/);
    expect(r.stderr).toMatch(/ - CacheSeedContextMissing: cache mount \/c has from=nosuchcontext, .*\(line 3\)\n/);
  });

  test("--print=lint (buildx 0.13, experimental) prints our lint result", async (t) => {
    requireImage(t);
    const env = { env: { BUILDX_EXPERIMENTAL: "1" } };
    const dir = await temps.context({ Dockerfile: BODY + "FROM busybox AS other\nENV A b\n" });
    const ours = ["--build-arg", "BUILDKIT_SYNTAX=cachefront:dev"];
    // The built-in 0.13 frontend does not know the request.
    const builtin = await buildx(["--print=lint", dir], env);
    expect(builtin.code).not.toBe(0);
    expect(builtin.stderr).toContain("unsupported request frontend.lint");

    const text = await buildx(["--print=lint", ...ours, dir], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.startsWith("Check complete, 6 warnings have been found!\n\nWARNING: StageNameCasing - https://docs.docker.com/go/dockerfile/rule/stage-name-casing/\n")).toBe(true);
    // Every stage is linted when no target is given: the unreachable one too.
    expect(text.stdout).toContain(
      'WARNING: LegacyKeyValueFormat - https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/\n"ENV key=value" should be used instead of legacy "ENV key value" format\nDockerfile:6\n',
    );
    expect(text.stdout).toContain("   6 | >>> ENV A b\n");

    // buildx 0.13 does not know the request, so it prints result.txt whatever the format
    // (result.json is upstream's, tested through the fake bridge: test/frontend/checks.test.ts).
    const json = await buildx(["--print=lint,format=json", ...ours, dir], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe(text.stdout);

    const targeted = await buildx(["--print=lint", "--target", "build", ...ours, dir], env);
    expect(targeted.stdout.startsWith("Check complete, 5 warnings have been found!\n")).toBe(true);
    expect(targeted.stdout).not.toContain(">>> ENV A b");
  });
});
