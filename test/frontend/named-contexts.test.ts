/** Named build contexts (`--build-context`, opts `context:<name>`) in FROM, COPY --from and stages. */
import { describe, expect, it } from "vitest";
import { build, execs, finalOps, imageConfig, names } from "./helpers.ts";

const sources = (run: Awaited<ReturnType<typeof build>>) => finalOps(run).flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));

describe("named contexts", () => {
  it("replaces an image in FROM with a docker-image:// context", async () => {
    const run = await build({ dockerfile: "FROM alpine:3.20\nRUN true\n", opts: { "context:alpine:3.20": "docker-image://busybox" } });
    expect(run.error).toBeUndefined();
    expect(sources(run).some((s) => s.startsWith("docker-image://docker.io/library/busybox:latest@sha256:"))).toBe(true);
    expect(run.resolves.map((r) => r.LogName)).toContain("[context alpine:3.20] load metadata for busybox");
    expect(names(finalOps(run))).toContain("[context alpine:3.20] busybox");
    // The image config is the context image's.
    expect(imageConfig(run).config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
  });

  it("uses a local context for COPY --from", async () => {
    const run = await build({
      dockerfile: "FROM busybox\nCOPY --from=assets /logo.png /srv/\n",
      opts: { "context:assets": "local:assets" },
      extra: { locals: { dockerfile: { Dockerfile: "FROM busybox\nCOPY --from=assets /logo.png /srv/\n" }, context: {}, assets: { "logo.png": "png", ".dockerignore": "*.tmp\n" } } },
    });
    expect(run.error).toBeUndefined();
    const local = finalOps(run).find((o) => o.op.op.case === "source" && o.op.op.value.identifier === "local://assets")!;
    if (local.op.op.case !== "source") throw new Error();
    expect(local.op.op.value.attrs["local.sharedkeyhint"]).toBe("context:assets");
    expect(JSON.parse(local.op.op.value.attrs["local.excludepatterns"]!)).toEqual(["*.tmp"]);
    expect(names(finalOps(run))).toContain("[context assets] load from client");
  });

  it("replaces a whole stage, skipping its instructions", async () => {
    const dockerfile = "FROM busybox AS deps\nRUN exit 1\nFROM busybox\nCOPY --from=deps /x /x\n";
    const run = await build({
      dockerfile,
      opts: { "context:deps": "local:prebuilt" },
      extra: { locals: { dockerfile: { Dockerfile: dockerfile }, context: {}, prebuilt: { x: "1" } } },
    });
    expect(run.error).toBeUndefined();
    expect(sources(run)).toContain("local://prebuilt");
    expect(execs(finalOps(run))).toHaveLength(0);
  });

  it("rejects an unsupported context scheme with the line", async () => {
    const run = await build({ dockerfile: "FROM busybox\nFROM base\n", opts: { "context:base": "ftp://x" } });
    expect(run.error?.message).toMatch(/unsupported context source ftp for base/);
  });
});
