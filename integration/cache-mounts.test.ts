/**
 * (BuildKit leaves a custom cache id out of a step's cache key, so every test
 * puts its unique id in the command text too: otherwise a step could come
 * from an earlier run's cache.)
 *
 * Portable cache mounts on a real engine: a RUN sees the seed; a changed seed
 * does not re-run the step (a fresh step sees the new content); a missing
 * context warns and builds; a `source=` escaping the context fails; parallel
 * seeds of one cache all succeed; export writes `dir/<id>/...`; and a full
 * round trip through a wiped builder carries the cache.
 */
import { afterAll, describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile, readdir } from "node:fs/promises";
import path from "node:path";
import { buildx, docker, requireImage, stepRan, tempDirs } from "./harness/index.ts";

describe("portable cache mounts on the engine", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());
  const { dir, context } = temps;
  /** A seed directory with the given files. */
  const seedDir = async (files: Record<string, string>) => {
    const d = await dir();
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(d, name)), { recursive: true });
      await writeFile(path.join(d, name), content);
    }
    return d;
  };
  const built = async (args: string[]) => {
    const out = await dir();
    const r = await buildx([...args, "--output", `type=local,dest=${out}`]);
    expect(r.code, r.stderr).toBe(0);
    return { out, progress: r.stderr, read: (f: string) => readFile(path.join(out, f), "utf8") };
  };

  test("a RUN sees the seed; a changed seed does not re-run it, a fresh step sees the change", async (t) => {
    requireImage(t);
    const id = `seed-${randomUUID()}`;
    const mount = `--mount=type=cache,id=${id},target=/cache,from=ci`;
    const first = `RUN ${mount} cat /cache/greeting > /seen && ls -ln /cache/sub > /listing`;
    const ctxA = await context({ Dockerfile: `# syntax=cachefront:dev\nFROM busybox\n${first}\n` });
    const ctxB = await context({ Dockerfile: `# syntax=cachefront:dev\nFROM busybox\n${first}\nRUN ${mount} cat /cache/greeting > /fresh\n` });
    const seed = await seedDir({ greeting: "hello v1\n", "sub/a.txt": "a\n" });

    const a = await built(["--build-context", `ci=${seed}`, ctxA]);
    expect(await a.read("seen")).toBe("hello v1\n");
    expect(a.progress).toMatch(/\[cachefront\] seed cache .* from build context ci/);
    expect(a.progress).toMatch(/seeded \d+ files/);

    await writeFile(path.join(seed, "greeting"), "hello v2\n");
    const b = await built(["--build-context", `ci=${seed}`, ctxB]);
    expect(stepRan(b.progress, "cat /cache/greeting > /seen")).toBe(false);
    expect(await b.read("seen")).toBe("hello v1\n");
    expect(await b.read("fresh")).toBe("hello v2\n");

    // The same seed again is recognised and skipped.
    const c = await built(["--build-context", `ci=${seed}`, ctxB]);
    expect(c.progress).toMatch(/seed unchanged/);
  });

  test("a missing context warns and builds with an empty cache", async (t) => {
    requireImage(t);
    const id = `missing-${randomUUID()}`;
    const ctx = await context({ Dockerfile: `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,id=${id},target=/cache,from=nosuchcontext ls -A /cache | wc -l > /count\n` });
    const r = await built([ctx]);
    expect((await r.read("count")).trim()).toBe("0");
    expect(r.progress).toMatch(/CacheSeedContextMissing: cache mount \/cache has from=nosuchcontext/);
  });

  test("a source= that escapes the context fails naming the line", async (t) => {
    requireImage(t);
    const seed = await seedDir({ f: "x" });
    const ctx = await context({ Dockerfile: `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,target=/cache,from=ci,source=../etc true\n` });
    const r = await buildx(["--build-context", `ci=${seed}`, ctx]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/escapes the build context/);
    expect(r.stderr).toMatch(/Dockerfile:3\n/);
  });

  test("four parallel builds seeding one cache all succeed", async (t) => {
    requireImage(t);
    const id = `parallel-${randomUUID()}`;
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`d${i % 10}/f${i}`] = `content ${i}\n`.repeat(50);
    const seeds = await Promise.all([0, 1, 2, 3].map(() => seedDir(files)));
    const results = await Promise.all(
      seeds.map(async (seed, i) => {
        const ctx = await context({
          Dockerfile: `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,id=${id},target=/cache,from=ci find /cache -type f | wc -l > /count && echo ${id} ${i}\n`,
        });
        return built(["--build-context", `ci=${seed}`, ctx]);
      }),
    );
    for (const r of results) expect(Number((await r.read("count")).trim())).toBeGreaterThanOrEqual(200);
  });

  test("BUILDKIT_CACHE_EXPORT writes dir/<id>/ and a wiped builder round-trips the cache", async (t) => {
    requireImage(t);
    const id = `roundtrip-${randomUUID()}`;
    const dockerfile = `# syntax=cachefront:dev
FROM busybox
RUN --mount=type=cache,id=${id},target=/cache,from=ci \\
    echo ${id} > /dev/null && \\
    cat /proc/sys/kernel/random/uuid > /cache/made-by-build-$(cat /cache/generation 2>/dev/null || echo 0) && \\
    echo $(( $(cat /cache/generation 2>/dev/null || echo 0) + 1 )) > /cache/generation && \\
    ls /cache | sort > /seen
`;
    const ctx = await context({ Dockerfile: dockerfile });
    const restored = await seedDir({ "restored.txt": "from the last CI run\n", "link-target": "t", generation: "5\n" });

    // restore → seed → build
    const b = await built(["--build-context", `ci=${restored}`, ctx]);
    expect((await b.read("seen")).split("\n")).toEqual(expect.arrayContaining(["restored.txt", "made-by-build-5", "generation"]));

    // export
    const exported = await dir();
    const e = await buildx(["--build-context", `ci=${restored}`, "--build-arg", `BUILDKIT_CACHE_EXPORT=${id}`, "--output", `type=local,dest=${exported}`, ctx]);
    expect(e.code, e.stderr).toBe(0);
    expect((await readdir(exported)).sort()).toEqual([id]);
    const names = (await readdir(path.join(exported, id))).sort();
    expect(names).toEqual(expect.arrayContaining(["restored.txt", "made-by-build-5", "generation"]));
    expect(names).not.toContain(".cachefront-seed.json");
    expect(await readFile(path.join(exported, id, "generation"), "utf8")).toBe("6\n");

    // wipe the builder: cache mounts and build cache are gone
    const prune = await docker(["buildx", "prune", "-af"]);
    expect(prune.code, prune.stderr).toBe(0);

    // next run: restore what was exported → the build sees the previous run's files
    const next = await built(["--build-context", `ci=${path.join(exported, id)}`, ctx]);
    expect((await next.read("seen")).split("\n")).toEqual(expect.arrayContaining(["restored.txt", "made-by-build-5", "made-by-build-6", "generation"]));
  });

  test("exports into an image that a wiped builder seeds from with docker-image://", async (t) => {
    requireImage(t);
    const id = `image-${randomUUID()}`;
    const image = `cachefront-test/cache:${id}`;
    const write = await context({
      Dockerfile: `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,id=${id},target=/cache echo ${id} && echo carried > /cache/from-image\n`,
    });
    await built([write]);
    const e = await buildx(["--build-arg", `BUILDKIT_CACHE_EXPORT=${id}`, "--output", `type=image,name=${image}`, write]);
    expect(e.code, e.stderr).toBe(0);
    const prune = await docker(["buildx", "prune", "-af"]);
    expect(prune.code, prune.stderr).toBe(0);

    const read = await context({
      Dockerfile: `# syntax=cachefront:dev\nFROM busybox\nRUN --mount=type=cache,id=${id},target=/cache,from=ci,source=${id} echo ${id}-read && cat /cache/from-image > /seen\n`,
    });
    const r = await built(["--build-context", `ci=docker-image://${image}`, read]);
    expect(await r.read("seen")).toBe("carried\n");
    await docker(["image", "rm", "-f", image]);
  });
});
