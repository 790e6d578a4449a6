// `input:` named contexts through the real entrypoint and the fake LLBBridge,
// with the opts `docker buildx bake` sends for `contexts = { base =
// "target:base" }` (seen on the engine: integration/inputs.test.ts):
// `context:base=input:0-base`, `input-metadata:0-base` carrying the target's
// image config, and `frontend.caps=moby.buildkit.frontend.contexts+forward`.
// Also what fails, and how.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { DefinitionSchema } from "../../frontend/gen/moby/buildkit/solver/ops_pb.ts";
import { image, marshal } from "../../frontend/llb/index.ts";
import type { FakeRun } from "../fake-bridge/index.ts";
import { build, errorSource, execs, finalOps, imageConfig } from "./helpers.ts";

const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** What bake passes for a target: a definition (here: an image source standing in for the target's build). */
const TARGET_REF = "docker.io/library/target-result:1";
const targetDefinition = () => create(DefinitionSchema, marshal(image(TARGET_REF, { platform: { os: "linux", architecture: "amd64" } })).definition);

const TARGET_CONFIG = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/opt/base/bin:/usr/bin:/bin", "BASEVAR=hello"], WorkingDir: "/srv/app", User: "runner", Labels: { "base.label": "from-base" }, Cmd: ["sh"] },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "33".repeat(32)] },
  history: [{ created_by: "RUN make base" }],
};

const metadata = (config: unknown) => JSON.stringify({ "containerimage.config": Buffer.from(JSON.stringify(config)).toString("base64") });

const BAKE_OPTS = {
  "frontend.caps": "moby.buildkit.frontend.contexts+forward",
  "context:base": "input:0-base",
  "input-metadata:0-base": metadata(TARGET_CONFIG),
};

function bake(dockerfile: string, opts: Record<string, string> = BAKE_OPTS): Promise<FakeRun> {
  return build({ dockerfile, opts, extra: { inputs: { "0-base": targetDefinition() } } });
}

function sources(run: FakeRun): string[] {
  return finalOps(run).flatMap((o) => (o.op.op.case === "source" ? [o.op.op.value.identifier] : []));
}

describe("input: named contexts", () => {
  it("FROM the input: its definition is the base, its input-metadata config the stage's (env, dir, user for RUN)", async () => {
    const run = await bake("FROM base\nRUN echo $BASEVAR > /run.txt\nENV APPVAR=world\n");
    expect(run.error, run.stderr).toBeUndefined();
    expect(sources(run)).toEqual([`docker-image://${TARGET_REF}`]);
    const [exec] = execs(finalOps(run));
    expect(exec?.meta).toMatchObject({ cwd: "/srv/app", user: "runner", env: ["PATH=/opt/base/bin:/usr/bin:/bin", "BASEVAR=hello"] });
    const config = imageConfig(run);
    expect(config.config).toMatchObject({ Env: ["PATH=/opt/base/bin:/usr/bin:/bin", "BASEVAR=hello", "APPVAR=world"], WorkingDir: "/srv/app", User: "runner", Labels: { "base.label": "from-base" }, Cmd: ["sh"] });
    expect(config.history.map((h: { created_by?: string }) => h.created_by)).toEqual(["RUN make base", "RUN /bin/sh -c echo $BASEVAR > /run.txt # buildkit", "ENV APPVAR=world"]);
    // Nothing is resolved: the config came with the input.
    expect(run.resolves).toEqual([]);
  });

  it("COPY --from and RUN --mount from= the input", async () => {
    const run = await bake("FROM busybox\nCOPY --from=base /srv/app/base.txt /copied/\nRUN --mount=from=base,target=/b cat /b/srv/app/base.txt\n");
    expect(run.error, run.stderr).toBeUndefined();
    expect(sources(run).sort()).toEqual([expect.stringMatching(/^docker-image:\/\/docker\.io\/library\/busybox:latest@sha256:/), `docker-image://${TARGET_REF}`]);
    // Both uses read the input's definition: one source op, two consumers (the copy and the mount).
    const ops = finalOps(run);
    const input = ops.find((o) => o.op.op.case === "source" && o.op.op.value.identifier === `docker-image://${TARGET_REF}`)!;
    const consumers = ops.filter((o) => o.op.inputs.some((i) => i.digest === input.digest));
    expect(consumers.map((o) => o.op.op.case).sort()).toEqual(["exec", "file"]);
    // The final image is busybox's, not the input's.
    expect(imageConfig(run).config.WorkingDir).toBeUndefined();
  });

  it("without input-metadata: the content only, an empty config (as for a relative context of a remote bake file)", async () => {
    const run = await bake("FROM extra\nRUN pwd\n", { "context:extra": "input:0-base" });
    expect(run.error, run.stderr).toBeUndefined();
    expect(sources(run)).toEqual([`docker-image://${TARGET_REF}`]);
    const config = imageConfig(run);
    expect(config.config.WorkingDir).toBe("/");
    expect(config.config.User).toBeUndefined();
    expect(config.config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
  });

  it("names a missing input, on the line that uses it", async () => {
    const run = await bake("FROM busybox\nCOPY --from=base /x /x\n", { "context:base": "input:1-base" });
    expect(run.error?.message).toBe("Dockerfile:2: invalid input 1-base for base");
    expect(errorSource(run)?.ranges).toEqual([{ start: { line: 2 }, end: { line: 2 } }]);
  });

  it("names input-metadata that is not JSON", async () => {
    const run = await bake("FROM base\n", { "context:base": "input:0-base", "input-metadata:0-base": "{not json" });
    expect(run.error?.message).toMatch(/^Dockerfile:1: failed to parse input metadata \{not json: /);
    expect(errorSource(run)?.ranges).toEqual([{ start: { line: 1 }, end: { line: 1 } }]);
  });

  it("names an image config in input-metadata that is not JSON", async () => {
    const bad = JSON.stringify({ "containerimage.config": Buffer.from("nope").toString("base64") });
    const run = await bake("FROM base\n", { "context:base": "input:0-base", "input-metadata:0-base": bad });
    expect(run.error?.message).toMatch(/^Dockerfile:1: failed to parse image config for base: invalid image config: not JSON/);
  });
});

describe("frontend.caps as clients send it", () => {
  it("bake's moby.buildkit.frontend.contexts+forward is accepted", async () => {
    const run = await bake("FROM base\n");
    expect(run.error, run.stderr).toBeUndefined();
  });

  it("an unknown cap marked +forward fails too (cachefront never forwards), once the Dockerfile is read", async () => {
    const run = await bake("FROM base\n", { ...BAKE_OPTS, "frontend.caps": "moby.buildkit.frontend.contexts+forward,moby.buildkit.frontend.made-up+forward" });
    expect(run.error?.code).toBe(12);
    expect(run.error?.message).toBe("unsupported frontend capability moby.buildkit.frontend.made-up");
    expect(run.error?.details.map((d) => [d.typeUrl, JSON.parse(dec(d.value))])).toEqual([["github.com/moby/buildkit/errdefs.FrontendCap+json", { name: "moby.buildkit.frontend.made-up" }]]);
    expect(run.reads[0]?.path).toBe("Dockerfile");
    expect(run.resolves).toEqual([]);
    expect(run.solves.length).toBeLessThanOrEqual(1); // the Dockerfile's, no build
  });

  it("an unknown cap without +forward fails before the Dockerfile is read", async () => {
    const run = await bake("FROM base\n", { ...BAKE_OPTS, "frontend.caps": "moby.buildkit.frontend.made-up,moby.buildkit.frontend.contexts" });
    expect(run.error?.message).toBe("unsupported frontend capability moby.buildkit.frontend.made-up");
    expect(run.reads).toEqual([]);
  });
});
