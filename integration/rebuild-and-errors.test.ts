/**
 * Behaviour users see in `docker buildx build` output: an identical rebuild
 * is fully cached, and broken input fails with the Dockerfile line shown.
 */
import { afterAll, describe, expect, test } from "vitest";
import path from "node:path";
import { buildx, requireImage, steps, tempDirs } from "./harness/index.ts";

const SYNTAX = "# syntax=cachefront:dev\n";

describe("cachefront in buildx", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());
  const { context } = temps;

  test("a second identical build is fully cached", async (t) => {
    requireImage(t);
    const dockerfile = `FROM busybox AS build
ARG N=3
WORKDIR /w
COPY seed.txt .
RUN --mount=type=cache,target=/cache seq $N > out.txt && cat /proc/sys/kernel/random/uuid > stamp
FROM scratch
COPY --from=build /w /
`;
    const builtin = await context({ Dockerfile: dockerfile, "seed.txt": "s\n" });
    const ours = await context({ Dockerfile: SYNTAX + dockerfile, "seed.txt": "s\n" });
    for (const dir of [builtin, ours]) {
      const first = await buildx([dir]);
      expect(first.code, first.stderr).toBe(0);
    }
    const again = await buildx([ours]);
    expect(again.code, again.stderr).toBe(0);
    const ourSteps = steps(again.stderr);
    const theirSteps = steps((await buildx([builtin])).stderr);
    expect(ourSteps.map((s) => s.name).sort()).toEqual(theirSteps.map((s) => s.name).sort());
    // Every step that produces something is CACHED; FROM lines report as the
    // built-in frontend's do on this engine (a local image is re-resolved).
    for (const s of ourSteps) {
      if (/\] FROM /.test(s.name)) expect(s.cached, s.name).toBe(theirSteps.find((x) => x.name === s.name)!.cached);
      else expect(s.cached, `${s.name} was not CACHED:\n${again.stderr}`).toBe(true);
    }
    expect(ourSteps.filter((s) => !/\] FROM /.test(s.name))).toHaveLength(4);
  });

  test.for([
    ["an unknown instruction", "FROM busybox\nRUN true\nFOO bar\n", 3, "unknown instruction: FOO"],
    ["an unknown flag", "FROM busybox\nRUN --frobnicate=1 true\n", 2, "unknown flag: --frobnicate"],
    ["a failing RUN", "FROM busybox\n\nRUN exit 3\n", 3, 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3'],
    ["a missing stage in COPY --from", "FROM busybox\nCOPY --from=nosuch /a /b\n", 2, "nosuch"],
  ] as const)("%s fails naming its line", async ([, body, line, message], t) => {
    requireImage(t);
    const dir = await context({ Dockerfile: SYNTAX + body });
    const r = await buildx([dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    // buildx prints the snippet from the error's source location; the syntax line shifts lines by one.
    const shown = line + 1;
    expect(r.stderr).toMatch(new RegExp(`Dockerfile:${shown}\\n`));
    expect(r.stderr).toMatch(new RegExp(`\\s${shown} \\| >>> `));
    expect(r.stderr).not.toMatch(/\n\s+at \S+ \(/);
  });

  test("a missing Dockerfile is reported without a stack trace", async (t) => {
    requireImage(t);
    const dir = await context({ "other.txt": "x" });
    const r = await buildx(["--build-arg", "BUILDKIT_SYNTAX=cachefront:dev", "-f", path.join(dir, "nope.Dockerfile"), dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nope\.Dockerfile/);
    expect(r.stderr).not.toMatch(/\n\s+at \S+ \(/);
  });
});
