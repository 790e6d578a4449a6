import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportCache } from "./export.ts";
import { emptyFingerprint, fingerprintTree } from "./fingerprint.ts";
import { TEMP_PREFIX } from "./fsutil.ts";
import { readSeedMarker, SEED_MARKER, seedCache } from "./seed.ts";
import { snapshot, tempDir, tempLeftovers, writeTree } from "./testing.ts";

let root: string;
let src: string;
let cache: string;
let cleanup: () => Promise<void>;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir("seed"));
  src = path.join(root, "seed");
  cache = path.join(root, "cache");
  mkdirSync(src);
});
afterEach(async () => cleanup());

const marker = (rel: string) => rel === SEED_MARKER;

describe("fingerprintTree", () => {
  it("is stable and sees metadata changes of every kind", async () => {
    writeTree(src, { "a": "aaa", "sub/b": "bbb" });
    symlinkSync("a", path.join(src, "link"));
    const base = await fingerprintTree(src);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await fingerprintTree(src)).toBe(base);

    const seen = new Set([base]);
    const changes: Array<() => void> = [
      () => utimesSync(path.join(src, "a"), 1_000_000_000, 1_000_000_000.000_001),
      () => writeFileSync(path.join(src, "sub/b"), "bbbb"),
      () => chmodSync(path.join(src, "sub/b"), 0o600),
      () => writeFileSync(path.join(src, "new"), ""),
      () => {
        unlinkSync(path.join(src, "link"));
        symlinkSync("sub/b", path.join(src, "link"));
      },
      () => linkSync(path.join(src, "a"), path.join(src, "a2")),
    ];
    for (const change of changes) {
      change();
      const fp = await fingerprintTree(src);
      expect(seen.has(fp)).toBe(false);
      seen.add(fp);
    }
  });

  it("ignores excluded paths and temp debris; an empty tree has the empty fingerprint", async () => {
    expect(await fingerprintTree(src)).toBe(emptyFingerprint());
    writeTree(src, { [SEED_MARKER]: "{}", [`${TEMP_PREFIX}1-x-0`]: "debris" });
    expect(await fingerprintTree(src, { exclude: marker })).toBe(emptyFingerprint());
    expect(await fingerprintTree(src)).not.toBe(emptyFingerprint());
  });
});

describe("seedCache", () => {
  it("seeds, then skips while the seed is unchanged, and re-seeds when a file changes", async () => {
    writeTree(src, { "go-build/00/a-d": "object a", "go-build/01/b-d": "object b", "trim.txt": "1" });
    const first = await seedCache(src, cache);
    expect(first).toMatchObject({ skipped: false, previousFingerprint: null, stats: { filesCopied: 3 } });
    expect(snapshot(cache, marker)).toEqual(snapshot(src));
    const m1 = await readSeedMarker(cache);
    expect(m1).toMatchObject({ version: 1, fingerprint: first.fingerprint });
    expect(Number.isNaN(Date.parse(m1!.completedAt))).toBe(false);

    // Builds add to the cache; the seed itself is unchanged: skip, and keep the additions.
    writeTree(cache, { "go-build/02/c-d": "added by a build" });
    const second = await seedCache(src, cache);
    expect(second).toMatchObject({ skipped: true, fingerprint: first.fingerprint, stats: { filesCopied: 0 } });
    expect(existsSync(path.join(cache, "go-build/02/c-d"))).toBe(true);

    writeFileSync(path.join(src, "trim.txt"), "2");
    const third = await seedCache(src, cache);
    expect(third).toMatchObject({ skipped: false, previousFingerprint: first.fingerprint, stats: { filesCopied: 1, filesSkipped: 2 } });
    expect(third.fingerprint).not.toBe(first.fingerprint);
    expect(readFileSync(path.join(cache, "trim.txt"), "utf8")).toBe("2");
    expect(existsSync(path.join(cache, "go-build/02/c-d"))).toBe(true);
    expect((await readSeedMarker(cache))?.fingerprint).toBe(third.fingerprint);
  });

  it("leaves no marker after an interrupted seed, neither the old one nor the new one", async () => {
    writeTree(src, { "a": "1", "b": "1", "c": "1" });
    const first = await seedCache(src, cache);
    writeTree(src, { "a": "22", "b": "22", "c": "22" });

    let copied = 0;
    const failing = seedCache(src, cache, {
      copy: {
        concurrency: 1,
        onFile: () => {
          if (++copied === 2) throw new Error("simulated interruption");
        },
      },
    });
    await expect(failing).rejects.toThrow("simulated interruption");
    expect(existsSync(path.join(cache, SEED_MARKER))).toBe(false);
    expect(tempLeftovers(cache)).toEqual([]);

    // The next run must not skip: it re-seeds and completes.
    const retry = await seedCache(src, cache);
    expect(retry).toMatchObject({ skipped: false, previousFingerprint: null });
    expect(retry.fingerprint).not.toBe(first.fingerprint);
    expect(snapshot(cache, marker)).toEqual(snapshot(src));
    expect((await readSeedMarker(cache))?.fingerprint).toBe(retry.fingerprint);
  });

  it("treats a missing source as an empty seed, recorded once", async () => {
    const missing = path.join(root, "no-such-seed");
    const first = await seedCache(missing, cache);
    expect(first).toMatchObject({ skipped: false, sourceMissing: true, fingerprint: emptyFingerprint() });
    expect(await seedCache(missing, cache)).toMatchObject({ skipped: true });
    // An empty directory is the same seed.
    expect(await seedCache(src, cache)).toMatchObject({ skipped: true, sourceMissing: false });
  });

  it("re-seeds over a corrupt or foreign marker", async () => {
    writeTree(src, { "a": "a" });
    mkdirSync(cache);
    writeFileSync(path.join(cache, SEED_MARKER), "{ not json");
    expect((await seedCache(src, cache)).skipped).toBe(false);
    const fp = (await readSeedMarker(cache))!.fingerprint;
    writeFileSync(path.join(cache, SEED_MARKER), JSON.stringify({ version: 2, fingerprint: fp, completedAt: "x" }));
    expect((await seedCache(src, cache)).skipped).toBe(false);
  });

  it("does not copy a marker that sits in the source", async () => {
    writeTree(src, { "a": "a", [SEED_MARKER]: JSON.stringify({ version: 1, fingerprint: "bogus", completedAt: "x" }) });
    const r = await seedCache(src, cache);
    expect((await readSeedMarker(cache))?.fingerprint).toBe(r.fingerprint);
  });

  it("survives two seeds running at once into the same cache", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${i % 7}/f${i}`] = `content ${i}`.repeat(i % 13);
    writeTree(src, files);
    linkSync(path.join(src, "d0/f0"), path.join(src, "hard"));
    const [a, b] = await Promise.all([seedCache(src, cache), seedCache(src, cache)]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(snapshot(cache, marker)).toEqual(snapshot(src));
    expect((await readSeedMarker(cache))?.fingerprint).toBe(a.fingerprint);
    expect(tempLeftovers(cache)).toEqual([]);
  });

  it("rejects a source that is not a directory", async () => {
    const file = path.join(root, "file");
    writeFileSync(file, "x");
    await expect(seedCache(file, cache)).rejects.toThrow(/not a directory/);
  });
});

describe("exportCache", () => {
  it("copies everything but the marker, with metadata, into a created directory", async () => {
    writeTree(src, { "x/y": "data", "z": "zz" });
    chmodSync(path.join(src, "z"), 0o4750);
    symlinkSync("x/y", path.join(src, "link"));
    await seedCache(src, cache);
    writeTree(cache, { "x/extra": "from a build" });

    const out = path.join(root, "out", "nested");
    const stats = await exportCache(cache, out);
    expect(existsSync(path.join(out, SEED_MARKER))).toBe(false);
    expect(snapshot(out)).toEqual(snapshot(cache, marker));
    expect(stats).toMatchObject({ filesCopied: 3, symlinks: 1 });
    expect(statSync(path.join(out, "z")).mode & 0o7777).toBe(0o4750);
  });

  it("fails clearly when the cache directory is missing", async () => {
    await expect(exportCache(path.join(root, "nope"), path.join(root, "out"))).rejects.toThrow(/cache directory .* does not exist/);
  });
});
