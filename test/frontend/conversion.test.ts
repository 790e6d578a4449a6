/**
 * The real entrypoint, run over stdio against the fake LLBBridge: what it
 * solves, the image config it returns and how it reports errors.
 */
import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { build, errorSource, execs, finalOps, imageConfig, names } from "./helpers.ts";

const MULTI = `FROM busybox AS base
ARG VERSION=1.0
ENV APP=demo
WORKDIR /app
RUN echo $APP-$VERSION > /app/v

FROM alpine:3.20 AS unused
RUN exit 1

FROM base AS final
COPY --chown=1000:1000 --chmod=640 app.txt ./
COPY --from=base /app/v /v
USER 1000
LABEL org.example=yes
EXPOSE 8080 9000-9001/udp
CMD ["sh", "-c", "cat /v"]
`;

describe("multi-stage conversion", () => {
  it("names steps like the official frontend and skips unreachable stages", async () => {
    const run = await build({ dockerfile: MULTI, context: { "app.txt": "x" } });
    expect(run.error).toBeUndefined();
    const n = names(finalOps(run));
    expect(n).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[base 1\/3\] FROM docker\.io\/library\/busybox:latest@sha256:[0-9a-f]{64}$/),
        "[base 2/3] WORKDIR /app",
        "[base 3/3] RUN echo demo-1.0 > /app/v",
        "[internal] load build context",
        "[final 1/2] COPY --chown=1000:1000 --chmod=640 app.txt ./",
        "[final 2/2] COPY --from=base /app/v /v",
      ]),
    );
    // The unused alpine stage is neither resolved nor built.
    expect(run.resolves.map((r) => r.Ref)).toEqual(["docker.io/library/busybox:latest"]);
    expect(n.some((x) => x.includes("exit 1"))).toBe(false);
  });

  it("returns the image config and history the official frontend would", async () => {
    const img = imageConfig(await build({ dockerfile: MULTI, context: { "app.txt": "x" } }));
    expect(img.config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP=demo"]);
    expect(img.config.WorkingDir).toBe("/app");
    expect(img.config.User).toBe("1000");
    expect(img.config.Labels).toEqual({ "org.example": "yes" });
    expect(img.config.ExposedPorts).toEqual({ "8080/tcp": {}, "9000/udp": {}, "9001/udp": {} });
    expect(img.config.Cmd).toEqual(["sh", "-c", "cat /v"]);
    expect(img.config.ArgsEscaped).toBe(true);
    expect(img.history.map((h: { created_by: string }) => h.created_by)).toEqual([
      "ADD rootfs /",
      "ARG VERSION=1.0",
      "ENV APP=demo",
      "WORKDIR /app",
      "RUN |1 VERSION=1.0 /bin/sh -c echo $APP-$VERSION > /app/v # buildkit",
      "COPY --chown=1000:1000 --chmod=640 app.txt ./ # buildkit",
      "COPY /app/v /v # buildkit",
      "USER 1000",
      "LABEL org.example=yes",
      "EXPOSE [8080/tcp 9000/udp 9001/udp]",
      'CMD ["sh" "-c" "cat /v"]',
    ]);
    expect(img.history.filter((h: { empty_layer?: boolean }) => !h.empty_layer)).toHaveLength(5);
  });

  it("passes ARGs and ENV to RUN, and resolves COPY destinations against WORKDIR", async () => {
    const ops = finalOps(await build({ dockerfile: MULTI, context: { "app.txt": "x" } }));
    const [run] = execs(ops);
    expect(run!.meta?.env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "VERSION=1.0", "APP=demo"]);
    expect(run!.meta?.cwd).toBe("/app");
    const copy = ops.find((o) => o.metadata?.description["llb.customname"]?.includes("app.txt"))!;
    if (copy.op.op.case !== "file" || copy.op.op.value.actions[0]!.action.case !== "copy") throw new Error("not a copy");
    const action = copy.op.op.value.actions[0]!.action.value;
    expect(action.dest).toBe("/app/");
    expect(action.mode).toBe(0o640);
    expect(action.owner?.user?.user).toEqual({ case: "byID", value: 1000 });
  });

  it("is deterministic: the same Dockerfile and opts give byte-identical definitions", async () => {
    const a = await build({ dockerfile: MULTI, context: { "app.txt": "x" } });
    const b = await build({ dockerfile: MULTI, context: { "app.txt": "x" } });
    const hex = (r: typeof a) => r.finalDefinition()!.def.map((d) => Buffer.from(d).toString("hex"));
    expect(hex(a)).toEqual(hex(b));
  });

  it("honours build-arg, target and label opts", async () => {
    const run = await build({ dockerfile: MULTI, opts: { "build-arg:VERSION": "2.0", target: "base", "label:from-opt": "1" } });
    const img = imageConfig(run);
    expect(img.config.Labels).toEqual({ "from-opt": "1" });
    expect(img.config.Cmd).toEqual(["sh"]);
    const [r] = execs(finalOps(run));
    expect(r!.meta?.env).toContain("VERSION=2.0");
    expect(names(finalOps(run))).toContain("[base 3/3] RUN echo demo-2.0 > /app/v");
  });
});

describe("args and scoping", () => {
  it("expands global ARGs in FROM and needs a re-declaration inside the stage", async () => {
    const run = await build({
      dockerfile: "ARG IMG=busybox\nARG TAG\nFROM ${IMG}\nARG IMG\nRUN echo ${IMG} ${TAG}\n",
    });
    const [r] = execs(finalOps(run));
    expect(r!.meta?.env).toContain("IMG=busybox");
    expect(r!.meta?.env?.some((e) => e.startsWith("TAG="))).toBe(false);
    expect(names(finalOps(run))).toContain("[2/2] RUN echo busybox ${TAG}");
  });

  it("expands every pair of one ENV against the environment before it", async () => {
    const img = imageConfig(await build({ dockerfile: "FROM busybox\nENV A=1\nENV A=2 B=${A}-old\n" }));
    expect(img.config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=2", "B=1-old"]);
    expect(img.history.at(-1).created_by).toBe("ENV A=2 B=1-old");
  });

  it("uses the default shell for shell form and the args as given for exec form", async () => {
    const run = await build({ dockerfile: 'FROM busybox\nRUN echo a\nRUN ["echo", "b"]\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN echo c\n' });
    expect(execs(finalOps(run)).map((e) => e.meta?.args)).toEqual([["/bin/sh", "-c", "echo a"], ["echo", "b"], ["/bin/ash", "-eo", "pipefail", "-c", "echo c"]]);
  });

  it("gives cache mounts the official default id", async () => {
    const run = await build({ dockerfile: "FROM busybox\nRUN --mount=type=cache,target=/root/.cache true\nRUN --mount=type=cache,id=go,target=/go,sharing=locked true\n" });
    const mounts = execs(finalOps(run)).map((e) => e.mounts.find((m) => m.dest !== "/")!);
    expect(mounts.map((m) => m.cacheOpt?.ID)).toEqual(["//root/.cache", "/go"]);
    expect(mounts[1]!.cacheOpt?.sharing).toBe(2);
  });
});

describe("inputs", () => {
  it("reads the Dockerfile named by the filename opt and applies its .dockerignore", async () => {
    const run = await build({
      dockerfile: "",
      extra: {
        opts: { filename: "build.Dockerfile" },
        locals: { dockerfile: { "build.Dockerfile": "FROM busybox\nCOPY . /src\n", "build.Dockerfile.dockerignore": "# c\n*.log\n!keep.log\n" }, context: {} },
      },
    });
    expect(run.error).toBeUndefined();
    const ctx = finalOps(run).find((o) => o.op.op.case === "source" && o.op.op.value.identifier === "local://context")!;
    if (ctx.op.op.case !== "source") throw new Error();
    expect(JSON.parse(ctx.op.op.value.attrs["local.excludepatterns"]!)).toEqual(["*.log", "!keep.log"]);
    expect(ctx.op.op.value.attrs["local.followpaths"]).toBeUndefined();
  });
});

describe("errors name the Dockerfile line", () => {
  it.each([
    ["an unknown instruction", "FROM busybox\nRUN true\nFOO bar\n", 3, /unknown instruction: FOO/i],
    ["an unknown flag", "FROM busybox\nCOPY --nope=1 a b\n", 2, /unknown flag: --nope/],
    ["a bad substitution", "FROM busybox\nENV A=${B:?needsB}\n", 2, /needsB/],
    ["a missing base image", "FROM busybox\nFROM nothere\n", 2, /nothere/],
    ["an unknown COPY --from stage index", "FROM busybox\nCOPY --from=7 /a /b\n", 2, /invalid stage index 7/],
    ["an EXPOSE without a port", "FROM busybox\nEXPOSE 80\nEXPOSE /udp\n", 3, /invalid proto: $/m],
    ["an EXPOSE with a bad IP", "FROM busybox\nEXPOSE 300.1.2.3:80:80\n", 2, /invalid IP address: 300\.1\.2\.3/],
    ["a FROM --platform with too many parts", "FROM --platform=a/b/c/d busybox\n", 1, /failed to parse platform a\/b\/c\/d: "a\/b\/c\/d": cannot parse platform specifier: invalid argument/],
  ])("for %s", async (_what, dockerfile, line, message) => {
    const run = await build({ dockerfile });
    expect(run.result).toBeUndefined();
    expect(run.error?.message).toMatch(message);
    expect(run.error?.message).toMatch(new RegExp(`line ${line}|Dockerfile:${line}`));
    const src = errorSource(run);
    expect(src?.ranges[0]?.start.line).toBe(line);
    expect(src?.info.filename).toBe("Dockerfile");
    expect(Buffer.from(src!.info.data, "base64").toString()).toBe(dockerfile);
    expect(run.exitCode).toBe(0);
  });

  it("reports a missing Dockerfile without a stack trace", async () => {
    const run = await build({ dockerfile: "", extra: { locals: { dockerfile: {}, context: {} } } });
    expect(run.error?.message).toMatch(/failed to read dockerfile/);
    expect(run.error?.message).not.toMatch(/\n\s+at /);
  });

  it("attaches source locations to ops so build failures show the line", async () => {
    const run = await build({ dockerfile: "FROM busybox\n\nRUN false\n" });
    const def = run.finalDefinition()!;
    const exec = finalOps(run).find((o) => o.op.op.case === "exec")!;
    expect(def.Source?.locations[exec.digest]?.locations[0]?.ranges[0]?.start?.line).toBe(3);
    expect(def.Source?.infos[0]?.filename).toBe("Dockerfile");
    // The source info carries the definition that loaded the Dockerfile.
    expect(def.Source?.infos[0]?.definition?.def.length).toBeGreaterThan(0);
    void fromBinary;
  });
});

describe("frontend inputs", () => {
  it("uses a `context` input instead of the local context", async () => {
    const { create } = await import("@bufbuild/protobuf");
    const { DefinitionSchema } = await import("../../frontend/gen/moby/buildkit/solver/ops_pb.ts");
    const { image, marshal } = await import("../../frontend/llb/index.ts");
    const input = marshal(image("docker.io/library/alpine:3.20", { platform: { os: "linux", architecture: "amd64" } })).definition;
    const run = await build({ dockerfile: "FROM busybox\nCOPY a /a\n", extra: { inputs: { context: create(DefinitionSchema, input) } } });
    expect(run.error).toBeUndefined();
    const sources = finalOps(run).flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));
    expect(sources).toContain("docker-image://docker.io/library/alpine:3.20");
    expect(sources).not.toContain("local://context");
    // No .dockerignore is loaded for an input context.
    expect(run.reads.map((r) => r.path)).not.toContain(".dockerignore");
  });
});

describe("cache imports", () => {
  it("passes --cache-from entries to BuildKit on the build's solve", async () => {
    const run = await build({
      dockerfile: "FROM busybox\nRUN true\n",
      opts: { "cache-imports": JSON.stringify([{ Type: "local", Attrs: { src: "/tmp/c", digest: "sha256:ab" } }, { Type: "registry", Attrs: { ref: "r.example/app:cache" } }]) },
    });
    const last = run.solves[run.solves.length - 1]!;
    expect(last.CacheImports.map((c) => ({ type: c.Type, attrs: c.Attrs }))).toEqual([
      { type: "local", attrs: { digest: "sha256:ab", src: "/tmp/c" } },
      { type: "registry", attrs: { ref: "r.example/app:cache" } },
    ]);
  });

  it("accepts the legacy comma-separated cache-from opt", async () => {
    const run = await build({ dockerfile: "FROM busybox\n", opts: { "cache-from": "a.example/x:c, b.example/y:c" } });
    const last = run.solves[run.solves.length - 1]!;
    expect(last.CacheImports.map((c) => c.Attrs.ref)).toEqual(["a.example/x:c", "b.example/y:c"]);
  });
});
