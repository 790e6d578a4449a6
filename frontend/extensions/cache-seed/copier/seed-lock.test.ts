import { afterEach, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { exportCache } from "./export.ts";
import { fingerprintTree } from "./fingerprint.ts";
import { SEED_LOCK, withSeedLock } from "./seed-lock.ts";
import { isSeedMarker, seedCache } from "./seed.ts";

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "cachefront-lock-"));
  dirs.push(d);
  return d;
}

describe("withSeedLock", () => {
  it("makes a second seed wait until the first releases the lock", async () => {
    const cache = await tmp();
    const order: string[] = [];
    let release!: () => void;
    const first = withSeedLock(cache, async () => {
      order.push("first:start");
      await new Promise<void>((r) => (release = r));
      order.push("first:end");
    });
    await new Promise((r) => setTimeout(r, 20));
    let waited = false;
    const second = withSeedLock(cache, async () => order.push("second"), { pollMs: 5, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(["first:start"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first:start", "first:end", "second"]);
    expect(waited).toBe(true);
    expect(await readdir(cache)).toEqual([]);
  });

  it("breaks a lock whose holder stopped touching it", async () => {
    const cache = await tmp();
    await mkdir(path.join(cache, SEED_LOCK));
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(cache, SEED_LOCK), old, old);
    const got = await withSeedLock(cache, async () => "ran", { staleMs: 1_000, pollMs: 5 });
    expect(got).toBe("ran");
  });

  it("gives up with a clear error after the timeout", async () => {
    const cache = await tmp();
    await mkdir(path.join(cache, SEED_LOCK));
    await expect(withSeedLock(cache, async () => 1, { pollMs: 5, timeoutMs: 30 })).rejects.toThrow(/timed out waiting for another seed/);
  });

  it("releases the lock when the work fails", async () => {
    const cache = await tmp();
    await expect(withSeedLock(cache, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await readdir(cache)).toEqual([]);
  });
});

describe("seeds and the lock", () => {
  it("serialises concurrent seeds of one cache with different seeds, each leaving a true marker", async () => {
    const [a, b, cache] = [await tmp(), await tmp(), await tmp()];
    // Distinct mtimes, as two CI cache generations have (the copier's quick check, like
    // rsync's, treats same size + same mtime as unchanged).
    const older = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < 200; i++) {
      await writeFile(path.join(a, `f${i}`), `a${i}`);
      await writeFile(path.join(b, `f${i}`), `b${i}`);
      await utimes(path.join(b, `f${i}`), older, older);
    }
    const [ra, rb] = await Promise.all([seedCache(a, cache, { lock: { pollMs: 5 } }), seedCache(b, cache, { lock: { pollMs: 5 } })]);
    expect(ra.skipped || rb.skipped).toBe(false);
    // Whichever ran last owns the marker, and the cache holds all of its files.
    const last = (await fingerprintTree(a)) === (await import("./seed.ts").then((m) => m.readSeedMarker(cache)))!.fingerprint ? a : b;
    const names = (await readdir(cache)).filter((n) => n.startsWith("f"));
    expect(names).toHaveLength(200);
    const { readFile } = await import("node:fs/promises");
    for (const n of ["f0", "f99", "f199"]) expect(await readFile(path.join(cache, n), "utf8")).toBe(await readFile(path.join(last, n), "utf8"));
  });

  it("never copies, fingerprints or exports the lock", async () => {
    const cache = await tmp();
    await mkdir(path.join(cache, SEED_LOCK));
    await writeFile(path.join(cache, "data"), "d");
    expect(isSeedMarker(SEED_LOCK)).toBe(true);
    expect(isSeedMarker(`${SEED_LOCK}/x`)).toBe(true);
    expect(isSeedMarker(`sub/${SEED_LOCK}`)).toBe(false);
    const out = await tmp();
    await exportCache(cache, out);
    expect(await readdir(out)).toEqual(["data"]);
  });
});
