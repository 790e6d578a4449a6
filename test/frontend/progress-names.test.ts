/**
 * Progress names where cachefront once differed from the official frontend
 * (found by integration/progress.test.ts against the engine's built-in one):
 * the stage name kept by a RUN --mount, the name BuildKit shows for an op two
 * stages share, and secret env variables shown as `****`.
 */
import { describe, expect, it } from "vitest";
import { build, finalOps, names } from "./helpers.ts";

const FROM = /^\[(?:(\S+) )?1\/2\] FROM docker\.io\/library\/busybox:latest@sha256:[0-9a-f]{64}$/;

describe("progress names", () => {
  it("drop the stage name of a single stage only when it has no RUN --mount", async () => {
    const plain = names(finalOps(await build({ dockerfile: "FROM busybox\nRUN echo hi\n" })));
    expect(plain).toContain("[2/2] RUN echo hi");

    for (const mount of ["type=cache,target=/c", "type=tmpfs,target=/t", "type=secret,id=s", "type=bind,target=/b"]) {
      const run = await build({ dockerfile: `FROM busybox\nRUN --mount=${mount} echo hi\n` });
      expect(run.error, run.stderr).toBeUndefined();
      const n = names(finalOps(run));
      expect(n).toContain(`[stage-0 2/2] RUN --mount=${mount} echo hi`);
      expect(n.find((x) => FROM.test(x))).toMatch(/^\[stage-0 1\/2\] FROM /);
    }
  });

  it("show the later stage's name for a base image two stages share, as BuildKit's client merges their metadata", async () => {
    const run = await build({ dockerfile: "FROM busybox AS a\nRUN echo a > /a\n\nFROM busybox AS b\nCOPY --from=a /a /a\n" });
    expect(run.error, run.stderr).toBeUndefined();
    const froms = names(finalOps(run)).filter((n) => FROM.test(n));
    // b's FROM is marshalled first (the copy's destination), then a's, the one BuildKit keeps.
    expect(froms).toHaveLength(1);
    expect(froms[0]).toMatch(/^\[a 1\/2\] FROM /);
  });

  it("show a variable loaded from a secret as ****, even over an ENV of the same name", async () => {
    const run = await build({ dockerfile: 'FROM busybox\nENV TOKEN=visible\nRUN --mount=type=secret,id=tok,env=TOKEN test -n "$TOKEN" && echo ${TOKEN} $OTHER\n' });
    expect(run.error, run.stderr).toBeUndefined();
    expect(names(finalOps(run))).toContain('[stage-0 2/2] RUN --mount=type=secret,id=tok,env=TOKEN test -n "****" && echo **** $OTHER');
  });
});
