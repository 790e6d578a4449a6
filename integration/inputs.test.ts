/**
 * Frontend inputs through `docker buildx bake` (buildx 0.13, docker driver)
 * on the real engine, cachefront against the engine's built-in (0.13)
 * frontend, both built by the very same bake command:
 *
 * - `contexts = { name = "target:other" }`: bake builds `other` first and
 *   passes its result as a frontend input, `context:name=input:<i>-other`,
 *   with its image config in `input-metadata:<i>-other`. The dependency
 *   targets here export nothing (`type=cacheonly`), so the input is the only
 *   way their result can reach the app.
 * - A remote bake definition (`bake git://...`) with `context = "<subdir>"`:
 *   bake sends the subdirectory as the `context` and `dockerfile` inputs, and
 *   a relative named context as `context:name=input:name` (no metadata).
 *   (`context = "target:..."` is not supported by bake 0.13: "path not found".)
 *
 * Plus the caps side: the image's `moby.buildkit.frontend.caps` label is the
 * list frontend/gateway/frontend-caps.ts reports, and bake's requests really
 * need its `inputs` and `contexts` entries (the gateway refuses a frontend
 * image whose label lacks one, before starting it).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { FRONTEND_CAPS } from "../frontend/gateway/frontend-caps.ts";
import { docker, readOciConfig, readTar, requireImage, tempDirs, treeOfTar, type OciImageConfig, type RunResult } from "./harness/index.ts";
import { comparableConfig } from "./harness/compare.ts";
import { startRemoteFixtures, type RemoteFixtures } from "./harness/remote-fixtures.ts";

const FRONTEND = "cachefront:dev";
type Side = "builtin" | "cachefront";
/** How cachefront is chosen: BUILDKIT_SYNTAX on every target, or `# syntax=` in each Dockerfile (`cachefront.` copies, picked by the DF variable). */
type How = "build-arg" | "directive";

/** `docker buildx bake` in `cwd`; `args` before the targets. Never rejects on a non-zero exit. */
function bake(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return docker(["buildx", "bake", "--progress=plain", ...args], { cwd, env });
}

/** Each Dockerfile, and a `cachefront.<name>` copy that starts with `# syntax=cachefront:dev`. */
function withDirectiveCopies(dockerfiles: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(dockerfiles)) {
    out[name] = text;
    const slash = name.lastIndexOf("/") + 1;
    out[`${name.slice(0, slash)}cachefront.${name.slice(slash)}`] = `# syntax=${FRONTEND}\n${text}`;
  }
  return out;
}

/** The bake arguments and env that select a side. */
function selecting(side: Side, how: How): { args: string[]; env: Record<string, string> } {
  if (side === "builtin") return { args: [], env: {} };
  if (how === "build-arg") return { args: ["--set", `*.args.BUILDKIT_SYNTAX=${FRONTEND}`], env: {} };
  return { args: [], env: { DF: "cachefront." } };
}

interface Exported {
  tar: string;
  oci: string;
}

/**
 * Bakes `target` both ways, each exported as a tar (files with owners) and an
 * OCI tar (image config). `source` is the bake definition to pass (a file in
 * `cwd`, or a remote URL).
 */
async function bakeBoth(cwd: string, out: string, source: string[], target: string, how: How): Promise<Record<Side, Exported>> {
  const results = {} as Record<Side, Exported>;
  for (const side of ["builtin", "cachefront"] as const) {
    const { args, env } = selecting(side, how);
    const tar = path.join(out, `${how}-${side}.tar`);
    const oci = path.join(out, `${how}-${side}.oci.tar`);
    for (const output of [`type=tar,dest=${tar}`, `type=oci,dest=${oci}`]) {
      const r = await bake(cwd, [...source, ...args, "--set", `${target}.output=${output}`, target], env);
      expect(r.code, `${side} bake failed:\n${r.stderr}`).toBe(0);
      if (side === "cachefront") expect(r.stderr).toMatch(/docker-image:\/\/docker\.io\/library\/cachefront:dev/);
      else expect(r.stderr).not.toMatch(/cachefront:dev/);
    }
    results[side] = { tar, oci };
  }
  return results;
}

/** Same files (content, modes, owners) and the same image config and history both ways; cachefront's side, for further checks. */
async function expectSame(r: Record<Side, Exported>): Promise<{ files: Map<string, string>; config: OciImageConfig }> {
  expect(await treeOfTar(r.cachefront.tar)).toEqual(await treeOfTar(r.builtin.tar));
  const [ours, theirs] = [await readOciConfig(r.cachefront.oci), await readOciConfig(r.builtin.oci)];
  expect(comparableConfig(ours)).toEqual(comparableConfig(theirs));
  expect(ours.rootfs.diff_ids).toHaveLength(theirs.rootfs.diff_ids.length);
  const files = new Map(readTar(await readFile(r.cachefront.tar)).filter((e) => e.type === "file").map((e) => [e.path, e.data.toString("utf8")]));
  return { files, config: ours };
}

const HOWS = ["build-arg", "directive"] as const;

describe("target: contexts through bake (input: and input-metadata:)", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  // The base's config (ENV, WORKDIR, USER, LABEL, CMD) reaches the app only through input-metadata.
  const dockerfiles = {
    "base.Dockerfile": `FROM busybox
ENV BASEVAR=hello PATH=/opt/base/bin:$PATH
WORKDIR /srv/app
RUN echo base > base.txt && echo "runner:x:1234:1234::/srv/app:/bin/sh" >> /etc/passwd
USER runner
LABEL base.label=from-base
CMD ["sh", "-c", "echo base"]
`,
    "app.Dockerfile": `FROM base
RUN echo "$BASEVAR $(pwd) $(id -un) $PATH" > /tmp/run.txt
COPY --from=base /srv/app/base.txt /copied/
ENV APPVAR=world
RUN --mount=from=base,target=/b cat /b/srv/app/base.txt > /tmp/mounted.txt
`,
    // Two levels: a replaces the image busybox in b, b replaces stage "stage1" in c.
    "a.Dockerfile": "FROM busybox\nENV FROM_A=1\nRUN echo a > /a.txt\n",
    "b.Dockerfile": "FROM busybox\nRUN echo \"b after a=$FROM_A\" > /b.txt\n",
    "c.Dockerfile": `FROM stage1 AS middle
RUN cat /a.txt /b.txt > /c.txt
FROM scratch
COPY --from=middle /c.txt /
COPY --from=stage1 /b.txt /
`,
  };
  const bakeFile = `variable "DF" { default = "" }
target "base" {
  dockerfile = "\${DF}base.Dockerfile"
  output = ["type=cacheonly"]
}
target "app" {
  dockerfile = "\${DF}app.Dockerfile"
  contexts = { base = "target:base" }
}
target "a" {
  dockerfile = "\${DF}a.Dockerfile"
  output = ["type=cacheonly"]
}
target "b" {
  dockerfile = "\${DF}b.Dockerfile"
  contexts = { busybox = "target:a" }
  output = ["type=cacheonly"]
}
target "c" {
  dockerfile = "\${DF}c.Dockerfile"
  contexts = { stage1 = "target:b" }
}
`;

  async function project(): Promise<string> {
    return temps.context({ ...withDirectiveCopies(dockerfiles), "docker-bake.hcl": bakeFile });
  }

  test.for(HOWS)("FROM, COPY --from and RUN --mount from= a target (cachefront via %s)", async (how, t) => {
    requireImage(t);
    const { files, config } = await expectSame(await bakeBoth(await project(), await temps.dir(), [], "app", how));
    // What the comparison stands on: the base's config and files did arrive.
    expect(config.config?.Env).toEqual(["PATH=/opt/base/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "BASEVAR=hello", "APPVAR=world"]);
    expect(config.config).toMatchObject({ WorkingDir: "/srv/app", User: "runner", Labels: { "base.label": "from-base" }, Cmd: ["sh", "-c", "echo base"] });
    expect(files.get("tmp/run.txt")).toBe("hello /srv/app runner /opt/base/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    expect(files.get("copied/base.txt")).toBe("base\n");
    expect(files.get("tmp/mounted.txt")).toBe("base\n");
    // The base's history comes along with its config, as from an image.
    expect(config.history?.map((h) => h.created_by)).toEqual(expect.arrayContaining(["USER runner", "ENV APPVAR=world"]));
  });

  test.for(HOWS)("targets chained through an image name and a stage name (cachefront via %s)", async (how, t) => {
    requireImage(t);
    const { files, config } = await expectSame(await bakeBoth(await project(), await temps.dir(), [], "c", how));
    expect([...files.keys()].sort()).toEqual(["b.txt", "c.txt"]);
    expect(files.get("c.txt")).toBe("a\nb after a=1\n");
    expect(files.get("b.txt")).toBe("b after a=1\n");
    // FROM scratch: the default PATH only, nothing of a or b.
    expect(config.config?.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
  });
});

describe("a remote bake definition: the main context and the Dockerfile as inputs", () => {
  const temps = tempDirs();
  let remote: RemoteFixtures | undefined;
  afterAll(async () => {
    remote?.close();
    await temps.cleanup();
  });

  // .dockerignore is not applied to an input context (the built-in frontend
  // sends it along as part of the context): skipped.txt is there both ways.
  const repo = {
    ...withDirectiveCopies({ "sub/Dockerfile": "FROM busybox\nWORKDIR /w\nCOPY . ctx/\nCOPY --from=extra . extra/\nRUN find . -type f | sort > /listing.txt\n" }),
    "sub/inner/a.txt": "in sub\n",
    "sub/skipped.txt": "listed in .dockerignore\n",
    "sub/.dockerignore": "skipped.txt\n",
    "other/o.txt": "other\n",
    "outside.txt": "not in the context\n",
    "docker-bake.hcl": `variable "DF" { default = "" }
target "app" {
  context = "sub"
  dockerfile = "\${DF}Dockerfile"
  contexts = { extra = "other" }
}
`,
  };

  test.for(HOWS)("context = subdir, contexts = { extra = dir } (cachefront via %s)", async (how, t) => {
    requireImage(t);
    remote ??= await startRemoteFixtures({ bakedef: { commits: [repo] } }, {});
    const { files } = await expectSame(await bakeBoth(await temps.dir(), await temps.dir(), [remote.gitUrl("bakedef")], "app", how));
    const listing = (files.get("listing.txt") ?? "").split("\n").filter(Boolean);
    // bake copies a relative named context in whole (other/o.txt), the main context's contents only.
    expect(listing.filter((f) => !f.includes("cachefront.Dockerfile"))).toEqual([
      "./ctx/.dockerignore",
      "./ctx/Dockerfile",
      "./ctx/inner/a.txt",
      "./ctx/skipped.txt",
      "./extra/other/o.txt",
    ]);
  });
});

describe("frontend caps on the engine", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  test("cachefront:dev's moby.buildkit.frontend.caps label is exactly the caps the code reports", async (t) => {
    requireImage(t);
    const r = await docker(["image", "inspect", FRONTEND, "--format", '{{index .Config.Labels "moby.buildkit.frontend.caps"}}']);
    expect(r.code, r.stderr).toBe(0);
    const label = r.stdout.trim().split(",");
    expect(new Set(label).size).toBe(label.length);
    expect([...label].sort()).toEqual([...FRONTEND_CAPS].sort());
  });

  // bake asks for `moby.buildkit.frontend.contexts+forward` and sends frontend
  // inputs (so the gateway also requires moby.buildkit.frontend.inputs): an
  // image declaring everything else is refused before it starts.
  test.for(["moby.buildkit.frontend.inputs", "moby.buildkit.frontend.contexts"])("bake with a target: context needs %s in the label", async (cap, t) => {
    requireImage(t);
    const variant = `cachefront-test/caps:without-${cap.split(".").at(-1)}`;
    const label = FRONTEND_CAPS.filter((c) => c !== cap).join(",");
    const made = await docker(["buildx", "build", "--provenance=false", "-t", variant, await temps.context({ Dockerfile: `FROM ${FRONTEND}\nLABEL moby.buildkit.frontend.caps="${label}"\n` })]);
    expect(made.code, made.stderr).toBe(0);
    const dir = await temps.context({
      Dockerfile: "FROM base\nRUN true\n",
      "base.Dockerfile": "FROM busybox\n",
      "docker-bake.hcl": `target "base" {\n  dockerfile = "base.Dockerfile"\n  output = ["type=cacheonly"]\n}\ntarget "app" {\n  contexts = { base = "target:base" }\n  output = ["type=cacheonly"]\n}\n`,
    });
    const refused = await bake(dir, ["--set", `app.args.BUILDKIT_SYNTAX=${variant}`, "app"]);
    expect(refused.code).not.toBe(0);
    // buildx turns the refusal of the contexts cap into its own advice.
    expect(refused.stderr).toContain(cap.endsWith(".contexts") ? "ERROR: current frontend does not support defining additional contexts for targets" : `unsupported frontend capability ${cap}`);
    // The same bake with cachefront:dev's own label goes through.
    const ok = await bake(dir, ["--set", `app.args.BUILDKIT_SYNTAX=${FRONTEND}`, "app"]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
