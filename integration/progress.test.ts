/**
 * What `docker buildx build` shows while building: the same Dockerfile built
 * by the engine's built-in frontend and by cachefront must show the same
 * progress vertices (names, and the progress groups that fold COPY --link's
 * two vertices into one step), read from `--progress=rawjson` (buildx 0.13).
 * Vertices are compared as a sorted multiset: their order follows the
 * solver's scheduling, not the frontend.
 *
 * Removed before comparing, because they exist only since a gateway frontend
 * is used, whatever that frontend does:
 * - `resolve image config for docker-image://docker.io/library/cachefront:dev`
 *   and `docker-image://docker.io/library/cachefront:dev@sha256:...`: BuildKit
 *   resolving and loading the frontend image itself (solver/llbsolver/bridge.go);
 * - `[internal] load metadata for cachefront image cachefront:dev`: cachefront
 *   resolving its own image for the helper steps of its extensions; only in
 *   builds that use them, which have no built-in counterpart anyway.
 * Kept on purpose: `[internal] load build definition from Dockerfile`. With
 * `# syntax=` the built-in frontend reads the Dockerfile before forwarding
 * (with BUILDKIT_SYNTAX it forwards at once) and cachefront reads it again;
 * both reads are the same op, so they show as one vertex, and a cachefront
 * that read it differently would show a second one. Nothing else is removed.
 *
 * Where the 0.13 built-in frontend differs from today's docker/dockerfile
 * (which cachefront follows), its names are rewritten to today's before
 * comparing (docs/compatibility.md): 0.13 spells the cache mount permission
 * step `[internal] settings cache mount permissions`.
 *
 * All Dockerfiles start FROM images only this file uses (busybox plus a
 * label): BuildKit's solver merges steps of concurrent builds (other test
 * runs on the same engine) that have the same cache key, and the merged
 * step's progress may carry the other build's name. A mere second tag of
 * busybox is not enough: an image's cache key is its content.
 */
import { afterAll, describe, expect, test, type TestContext } from "vitest";
import { docker, rawVertices, requireImage, tempDirs, type RawVertex } from "./harness/index.ts";

const FRONTEND = "cachefront:dev";
const BASE = "cachefront-progress-base:latest";
const BASE_REF = `docker.io/library/${BASE}`;
/** A second such image, where two contexts must not resolve to the same op (see the named contexts test). */
const OTHER = "cachefront-progress-other:latest";
const LABEL = "org.cachefront.progress-test";

/** Only there because a gateway frontend was chosen (see the header). */
function frontendSelection(name: string): boolean {
  return (
    name === `resolve image config for docker-image://docker.io/library/${FRONTEND}` ||
    name.startsWith(`docker-image://docker.io/library/${FRONTEND}@sha256:`) ||
    name === `[internal] load metadata for cachefront image ${FRONTEND}`
  );
}

/** 0.13's spellings, in today's. */
function todays(name: string): string {
  return name === "[internal] settings cache mount permissions" ? "[internal] setting cache mount permissions" : name;
}

/**
 * What a user can read: a step (`[stage i/n] ...`), an `[internal]`,
 * `[context ...]` or `[cachefront]` step, an image being loaded, an exporter.
 * An op without a name would show as its command line or file action instead.
 */
const UNDERSTANDABLE = /^(\[[^\]]+\] \S|docker-image:\/\/\S+@sha256:[0-9a-f]{64}$|resolve image config for docker-image:\/\/|exporting to )/;

/** Sorted names, each with its progress group (name, weak, and the other names in it). */
function comparable(vertices: readonly RawVertex[], rename: (name: string) => string = (n) => n): string[] {
  const kept = vertices.filter((v) => !frontendSelection(v.name)).map((v) => ({ ...v, name: rename(v.name) }));
  const members = new Map<string, string[]>();
  for (const v of kept) if (v.progressGroup) members.set(v.progressGroup.id, [...(members.get(v.progressGroup.id) ?? []), v.name]);
  return kept
    .map((v) => {
      const g = v.progressGroup;
      if (!g) return v.name;
      const others = members.get(g.id)!.filter((n) => n !== v.name).sort();
      return `${v.name} {group "${g.name}"${g.weak ? " weak" : ""} with ${JSON.stringify(others)}}`;
    })
    .sort();
}

describe("progress output against the built-in frontend", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  /**
   * Makes the images this file builds FROM (see the header) when they are
   * missing: busybox with a label, built reproducibly (SOURCE_DATE_EPOCH), so
   * a rebuild gives the same image rather than leaving old ones behind.
   */
  async function engine(t: TestContext): Promise<void> {
    requireImage(t);
    for (const [tag, value] of [[BASE, "base"], [OTHER, "other"]] as const) {
      const have = await docker(["image", "inspect", "-f", `{{ index .Config.Labels "${LABEL}" }}`, tag]);
      if (have.code === 0 && have.stdout.trim() === value) continue;
      const dir = await temps.context({ Dockerfile: `FROM busybox:latest\nLABEL ${LABEL}=${value}\n` });
      const r = await docker(["buildx", "build", "--progress=plain", "--build-arg", "SOURCE_DATE_EPOCH=0", "--provenance=false", "--tag", tag, dir]);
      expect(r.code, r.stderr).toBe(0);
    }
  }

  async function progress(dir: string, args: readonly string[], env?: Record<string, string>): Promise<{ code: number; stderr: string; vertices: RawVertex[] }> {
    const r = await docker(["buildx", "build", "--progress=rawjson", ...args, dir], { env });
    return { code: r.code, stderr: r.stderr, vertices: rawVertices(r.stderr) };
  }

  async function ok(dir: string, args: readonly string[], env?: Record<string, string>): Promise<RawVertex[]> {
    const r = await progress(dir, args, env);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    for (const v of r.vertices) expect(v.name, "a vertex shown by its op rather than a step name").toMatch(UNDERSTANDABLE);
    return r.vertices;
  }

  /** Builds `files` with both frontends; returns the built-in's names (today's spelling) after checking cachefront shows the same. */
  async function same(files: Record<string, string>, args: readonly string[] = []): Promise<string[]> {
    const dir = await temps.context(files);
    const builtin = comparable(await ok(dir, args), todays);
    const ours = comparable(await ok(dir, ["--build-arg", `BUILDKIT_SYNTAX=${FRONTEND}`, ...args]));
    expect(ours).toEqual(builtin);
    return builtin;
  }

  test("a single stage: counters right-aligned from 10 steps, no stage name, build args expanded, .dockerignore; by # syntax= too", async (t) => {
    await engine(t);
    const files = {
      ".dockerignore": "skipped.txt\n",
      "a.txt": "a\n",
      "b.txt": "b\n",
      "skipped.txt": "never sent\n",
      "sub/c.txt": "c\n",
      Dockerfile: `ARG BASE=busybox
FROM \${BASE}
ARG NAME=world
ENV GREETING=hello
WORKDIR /app
COPY a.txt .
ADD b.txt /b
COPY sub/ /sub/
RUN echo $GREETING $NAME > /greet
RUN echo 1
RUN echo 2
RUN echo 3
RUN echo 4
RUN echo \${NAME}-done \${UNSET:-none} "$GREETING"
`,
    };
    const args = ["--build-arg", `BASE=${BASE}`, "--build-arg", "NAME=progress"];
    const names = await same(files, args);
    expect(names).toEqual(
      expect.arrayContaining([
        "[internal] load build definition from Dockerfile",
        "[internal] load .dockerignore",
        "[internal] load build context",
        `[internal] load metadata for ${BASE_REF}`,
        expect.stringMatching(new RegExp(`^\\[ 1/11\\] FROM ${BASE_REF}@sha256:[0-9a-f]{64}$`)),
        "[ 2/11] WORKDIR /app",
        "[ 4/11] ADD b.txt /b",
        "[ 6/11] RUN echo hello progress > /greet",
        "[10/11] RUN echo 4",
        '[11/11] RUN echo progress-done ${UNSET:-none} "hello"',
      ]),
    );

    // Chosen by the Dockerfile's first line instead of the build arg: the same, except the line itself.
    const viaSyntax = await temps.context({ ...files, Dockerfile: `# syntax=${FRONTEND}\n${files.Dockerfile}` });
    expect(comparable(await ok(viaSyntax, args))).toEqual(names);
  });

  test("several stages: stage names and stage-N, FROM scratch, FROM another stage, COPY --from by name and index, a base two stages share", async (t) => {
    await engine(t);
    const names = await same({
      "a.txt": "a\n",
      Dockerfile: `FROM ${BASE} AS build
WORKDIR /src
COPY a.txt .
RUN cp a.txt out.txt
RUN echo built >> out.txt

FROM ${BASE}
RUN echo unnamed > /u

FROM scratch AS final
COPY --from=build /src/out.txt /out.txt
COPY --from=1 /u /u
COPY a.txt /a.txt

FROM build AS derived
RUN cat out.txt
COPY --from=final /out.txt /again.txt
`,
    });
    expect(names).toEqual(
      expect.arrayContaining([
        "[build 2/5] WORKDIR /src",
        "[build 5/5] RUN echo built >> out.txt",
        "[stage-1 2/2] RUN echo unnamed > /u",
        "[final 2/3] COPY --from=1 /u /u",
        "[derived 1/2] RUN cat out.txt",
        "[derived 2/2] COPY --from=final /out.txt /again.txt",
      ]),
    );
    // build and stage-1 start from the same image op: one vertex, one of their names.
    expect(names.filter((n) => n.includes(`] FROM ${BASE_REF}@`))).toHaveLength(1);
  });

  test("COPY --link, heredocs, a cache mount with uid= (which keeps the stage name of a single stage)", async (t) => {
    await engine(t);
    const names = await same({
      "a.txt": "a\n",
      Dockerfile: `FROM ${BASE}
COPY --link a.txt /linked/
RUN <<EOT
echo one
echo two
EOT
RUN <<EOT
#!/bin/sh
echo script
EOT
COPY <<EOT /doc.txt
hello
EOT
RUN --mount=type=cache,id=progress-test,target=/cache,uid=1000,gid=1000 ls -ld /cache
`,
    });
    expect(names).toEqual(
      expect.arrayContaining([
        '[stage-0 2/6] COPY --link a.txt /linked/ {group "[stage-0 2/6] COPY --link a.txt /linked/" weak with ["[stage-0 2/6] LINK COPY --link a.txt /linked/"]}',
        '[stage-0 2/6] LINK COPY --link a.txt /linked/ {group "[stage-0 2/6] COPY --link a.txt /linked/" with ["[stage-0 2/6] COPY --link a.txt /linked/"]}',
        "[stage-0 3/6] RUN <<EOT (echo one...)",
        "[stage-0 4/6] RUN <<EOT (#!/bin/sh...)",
        "[stage-0 5/6] COPY <<EOT /doc.txt",
        "[internal] preparing inline document",
        "[internal] setting cache mount permissions",
        "[stage-0 6/6] RUN --mount=type=cache,id=progress-test,target=/cache,uid=1000,gid=1000 ls -ld /cache",
      ]),
    );
  });

  test("named contexts: a directory, an image, and a stage replaced by an image", async (t) => {
    // Two contexts naming the same image would be one op with two names, and
    // which one the built-in frontend shows changes from build to build (it
    // resolves contexts concurrently): so `img` and `base` are different refs.
    await engine(t);
    const extra = await temps.context({ "x.txt": "x\n" });
    const names = await same(
      {
        "main.txt": "m\n",
        Dockerfile: `FROM ${BASE} AS base
FROM base
COPY --from=extra x.txt /x.txt
COPY --from=img /bin/true /t
COPY main.txt /m
`,
      },
      ["--build-context", `extra=${extra}`, "--build-context", `img=docker-image://${OTHER}`, "--build-context", `base=docker-image://${BASE}`],
    );
    expect(names).toEqual(
      expect.arrayContaining([
        "[context extra] load from client",
        "[context extra] load .dockerignore",
        "[stage-1 1/3] COPY --from=extra x.txt /x.txt",
        "[stage-1 2/3] COPY --from=img /bin/true /t",
        "[stage-1 3/3] COPY main.txt /m",
        `[context base] load metadata for ${BASE}`,
        `[context base] ${BASE}`,
        `[context img] load metadata for ${OTHER}`,
        `[context img] ${OTHER}`,
      ]),
    );
  });

  test("two platforms: platform prefixes, and ->arch for a stage built on the build platform", async (t) => {
    await engine(t);
    // File operations only: nothing needs to run on the foreign platform.
    const files = {
      "a.txt": "a\n",
      Dockerfile: `FROM --platform=$BUILDPLATFORM ${BASE} AS build
ARG TARGETARCH
COPY a.txt /out/$TARGETARCH.txt

FROM scratch
COPY --from=build /out/ /
`,
    };
    const args = ["--platform", "linux/amd64,linux/arm64"];
    const probe = await progress(await temps.context(files), args);
    if (probe.code !== 0 && /multi-platform|multiple platforms/i.test(probe.stderr)) t.skip(`this engine cannot build several platforms: ${probe.stderr.trim().split("\n").pop()}`);
    const names = await same(files, args);
    expect(names).toEqual(
      expect.arrayContaining([
        `[linux/amd64 internal] load metadata for ${BASE_REF}`,
        "[linux/amd64 build 2/2] COPY a.txt /out/amd64.txt",
        "[linux/amd64->arm64 build 2/2] COPY a.txt /out/arm64.txt",
        "[linux/amd64 stage-1 1/1] COPY --from=build /out/ /",
        "[linux/arm64 stage-1 1/1] COPY --from=build /out/ /",
      ]),
    );
  });

  // The 0.13 built-in frontend rejects env= on a secret mount (docker/dockerfile 1.10): cachefront alone, against today's format.
  test("a variable loaded from a secret shows as ****", async (t) => {
    await engine(t);
    const dir = await temps.context({ Dockerfile: `FROM ${BASE}\nRUN --mount=type=secret,id=tok,env=TOKEN test -n "$TOKEN" && echo $TOKEN\n` });
    // test -n fails the build unless the secret reached the command.
    const vertices = await ok(dir, ["--build-arg", `BUILDKIT_SYNTAX=${FRONTEND}`, "--secret", "id=tok,env=PROGRESS_TEST_TOKEN"], { PROGRESS_TEST_TOKEN: "s3cret" });
    expect(comparable(vertices)).toContain('[stage-0 2/2] RUN --mount=type=secret,id=tok,env=TOKEN test -n "****" && echo ****');
  });

  test("cachefront's own steps: cache seeding, cache export and a TTL step say what they do", async (t) => {
    await engine(t);
    const seed = await temps.context({ "seeded.txt": "from the seed\n" });
    const dir = await temps.context({
      Dockerfile: `FROM ${BASE}
RUN --mount=type=cache,id=progress-seeded,target=/cache,from=seedctx ls /cache
RUN --cache-ttl=1h echo fresh
`,
    });
    const out = await temps.dir();
    const names = comparable(
      await ok(dir, [
        "--build-arg", `BUILDKIT_SYNTAX=${FRONTEND}`,
        "--build-context", `seedctx=${seed}`,
        "--build-arg", "BUILDKIT_CACHE_EXPORT=progress-seeded",
        "--output", `type=local,dest=${out}`,
      ]),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        "[context seedctx] load from client",
        "[cachefront] seed cache progress-seeded from build context seedctx",
        "[stage-0 2/3] RUN --mount=type=cache,id=progress-seeded,target=/cache,from=seedctx ls /cache",
        "[stage-0 3/3] RUN --cache-ttl=1h echo fresh",
        "[cachefront] export cache progress-seeded to progress-seeded/",
      ]),
    );
  });
});
