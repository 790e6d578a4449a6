/** More of the language through the real entrypoint: platforms, SOURCE_DATE_EPOCH, mount types, network. */
import { describe, expect, it } from "vitest";
import { BUSYBOX_CONFIG, build, errorSource, execs, finalOps, imageConfig, names } from "./helpers.ts";

describe("platforms", () => {
  it("returns one ref per platform, configs keyed by platform id, and refs.platforms", async () => {
    const run = await build({
      dockerfile: "FROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETARCH\nRUN echo $TARGETARCH > /arch\nFROM busybox\nCOPY --from=build /arch /arch\n",
      opts: { platform: "linux/amd64,linux/arm64" },
    });
    expect(run.error).toBeUndefined();
    const md = run.result!.metadata;
    expect(Object.keys(md).sort()).toEqual(["containerimage.base.config/linux/amd64", "containerimage.base.config/linux/arm64", "containerimage.config/linux/amd64", "containerimage.config/linux/arm64", "refs.platforms"]);
    expect(JSON.parse(new TextDecoder().decode(md["containerimage.config/linux/arm64"]!)).architecture).toBe("arm64");
    expect(JSON.parse(new TextDecoder().decode(md["refs.platforms"]!)).Platforms.map((p: { ID: string }) => p.ID)).toEqual(["linux/amd64", "linux/arm64"]);
    expect(run.result!.result.case).toBe("refs");
    const defs = run.finalDefinitions();
    expect(Object.keys(defs).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    // Cross-compilation: the build stage runs on the build platform, with the target's TARGETARCH.
    const names = Object.values(defs).flatMap((d) => d.metadata ? Object.values(d.metadata).map((m) => m.description["llb.customname"] ?? "") : []);
    expect(names).toEqual(expect.arrayContaining(["[linux/amd64->arm64 build 2/2] RUN echo arm64 > /arch", "[linux/amd64 build 2/2] RUN echo amd64 > /arch"]));
  });

  it("uses the automatic platform args in FROM and when declared in a stage", async () => {
    const run = await build({ dockerfile: "FROM busybox\nARG TARGETPLATFORM\nARG BUILDOS\nRUN echo $TARGETPLATFORM $BUILDOS\n" });
    const [e] = execs(finalOps(run));
    expect(e!.meta?.env).toEqual(expect.arrayContaining(["TARGETPLATFORM=linux/amd64", "BUILDOS=linux"]));
  });
});

describe("SOURCE_DATE_EPOCH", () => {
  it("stamps history and WORKDIR with the epoch", async () => {
    const run = await build({ dockerfile: "FROM busybox\nWORKDIR /app\nRUN true\n", opts: { "build-arg:SOURCE_DATE_EPOCH": "1700000000" } });
    const img = imageConfig(run);
    const ours = img.history.filter((h: { comment?: string }) => h.comment === "buildkit.dockerfile.v0");
    expect(ours.map((h: { created?: string }) => h.created)).toEqual(["2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"]);
    const mkdir = finalOps(run).find((o) => o.op.op.case === "file")!;
    if (mkdir.op.op.case !== "file" || mkdir.op.op.value.actions[0]!.action.case !== "mkdir") throw new Error();
    expect(mkdir.op.op.value.actions[0]!.action.value.timestamp).toBe(1_700_000_000_000_000_000n);
  });
});

describe("RUN mounts, network and security", () => {
  it("converts secret, ssh and tmpfs mounts with the official defaults", async () => {
    const run = await build({
      dockerfile:
        "FROM busybox\nRUN --mount=type=secret,id=npmrc --mount=type=secret,id=token,env=TOKEN --mount=type=ssh --mount=type=tmpfs,target=/scratch,size=64m --network=none true\n",
    });
    const [e] = execs(finalOps(run));
    const byDest = Object.fromEntries(e!.mounts.map((m) => [m.dest, m]));
    expect(byDest["/run/secrets/npmrc"]?.secretOpt).toEqual(expect.objectContaining({ ID: "npmrc", mode: 0o400, optional: true }));
    expect(byDest["/run/buildkit/ssh_agent.0"]?.SSHOpt).toEqual(expect.objectContaining({ ID: "", mode: 0o600, optional: true }));
    expect(byDest["/scratch"]?.TmpfsOpt?.size).toBe(64n * 1024n * 1024n);
    expect(e!.secretenv).toEqual([expect.objectContaining({ ID: "token", name: "TOKEN" })]);
    expect(e!.meta?.env).toContain("SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0");
    expect(e!.network).toBe(2);
    // A single stage keeps its name once a RUN has mounts (see progress-names.test.ts).
    expect(names(finalOps(run))).toContain(
      "[stage-0 2/2] RUN --mount=type=secret,id=npmrc --mount=type=secret,id=token,env=TOKEN --mount=type=ssh --mount=type=tmpfs,target=/scratch,size=64m --network=none true",
    );
  });

  it("mounts the context read-only by default and binds from stages", async () => {
    const run = await build({ dockerfile: "FROM busybox AS tools\nFROM busybox\nWORKDIR /src\nRUN --mount=type=bind,target=. --mount=from=tools,source=/bin,target=/tools make\n" });
    const [e] = execs(finalOps(run));
    const src = e!.mounts.find((m) => m.dest === "/src")!;
    expect(src.readonly).toBe(true);
    expect(e!.mounts.find((m) => m.dest === "/tools")?.selector).toBe("/bin");
  });
});

describe("stage references", () => {
  it("matches FROM against stage names exactly, COPY --from in any case", async () => {
    const ok = await build({ dockerfile: "FROM busybox AS Build\nRUN echo > /x\nFROM build\nCOPY --from=BUILD /x /y\n" });
    expect(ok.error).toBeUndefined();
    expect(names(finalOps(ok))).toEqual(expect.arrayContaining(["[build 2/2] RUN echo > /x", "[stage-1 1/1] COPY --from=BUILD /x /y"]));
    const bad = await build({ dockerfile: "FROM busybox AS Build\nRUN true\nFROM Build\n" });
    expect(bad.error?.message).toMatch(/failed to parse stage name "Build": invalid reference format: repository name \(library\/Build\) must be lowercase/);
    expect(errorSource(bad)?.ranges[0]?.start.line).toBe(3);
  });

  it("reads a RUN --mount from= of digits as an image name, not a stage index", async () => {
    const run = await build({
      dockerfile: "FROM busybox AS first\nFROM busybox\nRUN --mount=from=0,target=/x true\nCOPY --from=0 /etc/passwd /p\n",
      extra: { images: { "docker.io/library/busybox:latest": { config: BUSYBOX_CONFIG }, "docker.io/library/0:latest": { config: BUSYBOX_CONFIG } } },
    });
    expect(run.error).toBeUndefined();
    const images = finalOps(run).flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));
    expect(images).toEqual(expect.arrayContaining([expect.stringMatching(/^docker-image:\/\/docker.io\/library\/0:latest(@|$)/)]));
  });
});
