/**
 * Subrequests through buildx 0.13 (`docker buildx build --print=...`, which
 * needs BUILDX_EXPERIMENTAL=1) on the real engine: cachefront's outline,
 * targets and describe against the engine's built-in (0.13) frontend for the
 * same Dockerfile, and cachefront's own part of the outline. cachefront is
 * selected with BUILDKIT_SYNTAX so both read the very same file (same lines,
 * same `sources`). Differences are in docs/compatibility.md.
 */
import { afterAll, describe, expect, test } from "vitest";
import { buildx, docker, requireImage, tempDirs } from "./harness/index.ts";

const OURS = ["--build-arg", "BUILDKIT_SYNTAX=cachefront:dev"];
const EXPERIMENTAL = { env: { BUILDX_EXPERIMENTAL: "1" } };

/** `--print=<what>` for the built-in frontend, or cachefront with `ours`; stdout is the answer. */
async function print(what: string, dir: string, opts: { ours: boolean; args?: string[] }) {
  const r = await buildx([`--print=${what}`, ...(opts.ours ? OURS : []), ...(opts.args ?? []), dir], EXPERIMENTAL);
  return r;
}

async function both(what: string, dir: string, args: string[] = []) {
  const [builtin, ours] = await Promise.all([print(what, dir, { ours: false, args }), print(what, dir, { ours: true, args })]);
  expect(builtin.code, builtin.stderr).toBe(0);
  expect(ours.code, ours.stderr).toBe(0);
  return { builtin: builtin.stdout, ours: ours.stdout };
}

/** Ours without what only cachefront reports: `cache` (the built-in frontend leaves it empty) and `cachefront`. */
function upstreamPart(json: string): Record<string, unknown> {
  const { cache: _cache, cachefront: _cachefront, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

// Lines with one ARG each: upstream's order for ARGs of one line is random.
const DOCKERFILES: Record<string, string> = {
  "secrets, ssh, cache mounts and unused args": `ARG GO_VERSION=1.21
# BASE is the base image
ARG BASE=busybox

# build compiles the app
FROM \${BASE} AS build
# MODE selects the mode
ARG MODE=release
ARG UNUSED
RUN --mount=type=secret,id=token,required=true --mount=type=ssh echo $MODE
RUN --mount=type=cache,target=/root/.cache,id=gocache --mount=type=secret,id=npmrc echo hi

FROM build AS test
RUN --mount=type=cache,target=/tmp/c --mount=type=ssh,id=gh,required echo test

# final image
FROM busybox
COPY --from=build /etc/passwd /x
`,
  "global args used by FROM and by each other, platforms, casing": `# REG the <registry> & mirror
ARG REG=docker.io
# IMG image name
ARG IMG=\${REG}/library/busybox
ARG PLAT=linux/amd64
ARG NOTUSED=x
ARG KEEP=global

# Base the base stage
FROM --platform=$PLAT $IMG AS Base
ARG TARGETPLATFORM
ARG KEEP
ARG A=1
ARG B=\${A}-b
RUN --mount=type=secret,id=$A echo

# final the final stage
FROM base AS final
# KEEP redefined here
ARG KEEP=final
`,
};

describe("subrequests against the built-in frontend", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  test.for(Object.entries(DOCKERFILES))("outline and targets, %s", async ([, dockerfile], t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: dockerfile });
    for (const args of [[], ["--target", "build"], ["--target", "base"], ["--build-arg", "MODE=debug", "--build-arg", "KEEP=given"]]) {
      if (args[1] && !dockerfile.toLowerCase().includes(`as ${args[1]}`)) continue;
      const json = await both("outline,format=json", dir, args);
      expect(upstreamPart(json.ours), args.join(" ")).toEqual(JSON.parse(json.builtin));
      // No cachefront part here: buildx prints both with its own printer.
      const text = await both("outline", dir, args);
      expect(text.ours, args.join(" ")).toBe(text.builtin);
    }
    const targets = await both("targets,format=json", dir);
    expect(JSON.parse(targets.ours)).toEqual(JSON.parse(targets.builtin));
    const text = await both("targets", dir);
    expect(text.ours).toBe(text.builtin);
  });

  test("cachefront's outline also lists cache mounts (the built-in one leaves `cache` empty)", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: DOCKERFILES["secrets, ssh, cache mounts and unused args"]! });
    const json = await both("outline,format=json", dir);
    expect(JSON.parse(json.builtin).cache).toBeUndefined();
    expect(JSON.parse(json.ours).cache).toEqual([
      { ID: "gocache", target: "/root/.cache", sharing: "shared", location: { ranges: [{ start: { line: 11 }, end: { line: 11 } }] } },
    ]);
  });

  test("describe lists the same requests", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: "FROM busybox\n" });
    const json = await both("subrequests.describe,format=json", dir);
    const builtin = JSON.parse(json.builtin) as { name: string }[];
    const ours = JSON.parse(json.ours) as { name: string }[];
    // Requests cachefront adds after targets (frontend.lint) are not in the 0.13 built-in frontend.
    expect(ours.filter((r) => builtin.some((b) => b.name === r.name))).toEqual(builtin);
    const text = await both("subrequests.describe", dir);
    for (const line of text.builtin.split("\n")) expect(text.ours).toContain(line);
  });

  test("an unknown request fails as with the built-in frontend", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: "FROM busybox\n" });
    const [builtin, ours] = await Promise.all([print("bogus", dir, { ours: false }), print("bogus", dir, { ours: true })]);
    expect(builtin.code).not.toBe(0);
    expect(builtin.stderr).toContain("ERROR: unsupported request frontend.bogus: unsupported request frontend.bogus");
    expect(ours.code).not.toBe(0);
    // The built-in frontend, forwarding to cachefront, adds "failed with build-arg:BUILDKIT_SYNTAX = ...";
    // the errdefs.Subrequest detail survives: buildx names the unsupported request first.
    expect(ours.stderr).toMatch(/ERROR: unsupported request frontend\.bogus: .*unsupported request frontend\.bogus\n/);
  });

  test("the gateway image declares the subrequests cap", async (t) => {
    requireImage(t);
    const r = await docker(["image", "inspect", "cachefront:dev", "--format", '{{index .Config.Labels "moby.buildkit.frontend.caps"}}']);
    expect(r.stdout.trim().split(",")).toContain("moby.buildkit.frontend.subrequests");
  });
});

describe("cachefront's part of the outline", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());

  const dockerfile = `# BASE the image to build on
ARG BASE=busybox

# build compiles the app
FROM \${BASE} AS build
RUN --cache-ttl=24h echo update
# org.mobyproject.buildkit.cache-ttl=1h
RUN echo hourly
RUN --mount=type=cache,target=/root/.cache/go-build,from=gocache \\
    --mount=type=cache,id=gomod,target=/go/pkg/mod,from=gomod \\
    echo build
`;

  test("TTL steps and seeded cache mounts show in the JSON and in the text buildx prints", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: dockerfile, "ci-cache/go/a": "1" });
    const args = ["--build-arg", "BUILDKIT_CACHE_TTL_NOW=1700000000", "--build-context", `gocache=${dir}/ci-cache/go`];
    const json = await print("outline,format=json", dir, { ours: true, args });
    expect(json.code, json.stderr).toBe(0);
    const o = JSON.parse(json.stdout);
    expect(o.name).toBe("build");
    expect(o.cachefront.cacheTTL.map((s: Record<string, unknown>) => [s.ttl, s.setBy, s.location])).toEqual([
      ["24h", "flag", { ranges: [{ start: { line: 6 }, end: { line: 6 } }] }],
      ["1h", "comment", { ranges: [{ start: { line: 8 }, end: { line: 8 } }] }],
    ]);
    const [day] = o.cachefront.cacheTTL;
    expect(Date.parse(day.expires) - Date.parse(day.bucketStart)).toBe(86_400_000);
    expect(o.cachefront.seededCacheMounts.map((m: Record<string, unknown>) => [m.ID, m.context, m.contextGiven, m.otherwise])).toEqual([
      ["/root/.cache/go-build", "gocache", true, undefined],
      ["gomod", "gomod", false, "empty cache"],
    ]);

    // buildx prints the answer's own text (version 1.1.0 is newer than the 1.0.0 it knows).
    const text = await print("outline", dir, { ours: true, args });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^TARGET: {6}build\nDESCRIPTION: compiles the app\n\nBUILD ARG {3}VALUE {5}DESCRIPTION\nBASE {8}busybox {3}the image to build on\n\n/);
    expect(text.stdout).toContain(`CACHE TTL STEP   STAGE   TTL   SET BY        BUCKET START           EXPIRES\nline 6           build   24h   --cache-ttl   ${day.bucketStart}   ${day.expires}\n`);
    expect(text.stdout).toContain(
      "SEEDED CACHE            TARGET                  FROM CONTEXT   CONTEXT GIVEN\n/root/.cache/go-build   /root/.cache/go-build   gocache        yes\ngomod                   /go/pkg/mod             gomod          no: empty cache\n",
    );
  });
});
