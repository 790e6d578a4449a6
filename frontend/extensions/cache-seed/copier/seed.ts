/**
 * seedCache: merge a restored directory (e.g. a Go build cache the CI put in
 * a named build context) into a BuildKit cache mount, once per distinct seed.
 *
 * The marker `<cache>/.cachefront-seed.json` = { version: 1, fingerprint,
 * completedAt } names the last seed the cache holds *completely*. Order:
 *
 *   1. fingerprint the seed; marker matches → done (the common, cheap case);
 *   2. delete the marker and fsync the directory, so from here on a crash
 *      leaves "no seed recorded", never the old claim over half-new files;
 *   3. copyTree (skipUnchanged: most files of a re-seed are already there);
 *   4. write the new marker atomically (temp, fsync, rename, fsync dir).
 *
 * Two seeds running at once (BuildKit's sharing=locked normally prevents it)
 * cannot corrupt anything: every write is a rename of a uniquely named temp
 * entry, so the worst outcome is redundant work and a marker from either.
 */
import { SEED_LOCK, withSeedLock, type LockOptions } from "./seed-lock.ts";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { copyTree, emptyStats, type CopyOptions, type CopyStats } from "./copy-tree.ts";
import { emptyFingerprint, fingerprintTree } from "./fingerprint.ts";
import { errorCode, fsyncDir, tempPath } from "./fsutil.ts";

export const SEED_MARKER = ".cachefront-seed.json";
export const SEED_MARKER_VERSION = 1;

export interface SeedMarker {
  version: 1;
  /** fingerprintTree() of the seed source, sha256 hex. */
  fingerprint: string;
  /** ISO 8601 time the seed finished. */
  completedAt: string;
}

export interface SeedReport {
  /** True when the marker already matched and nothing was copied. */
  skipped: boolean;
  /** True when the source did not exist (treated as an empty seed). */
  sourceMissing: boolean;
  fingerprint: string;
  /** The fingerprint the marker held before this run, or null. */
  previousFingerprint: string | null;
  /** Copy counts; all zero when skipped. */
  stats: CopyStats;
  durationMs: number;
}

export interface SeedOptions {
  /** Passed through to copyTree (skipUnchanged and exclude are fixed by the seed). */
  copy?: Pick<CopyOptions, "concurrency" | "preserveOwner" | "onFile">;
  lock?: LockOptions;
}

/**
 * cachefront's own entries at the cache root (the marker and the seed lock),
 * never copied, fingerprinted or exported; the same names deeper down are
 * ordinary content.
 */
export function isSeedMarker(relPath: string): boolean {
  return relPath === SEED_MARKER || relPath === SEED_LOCK || relPath.startsWith(`${SEED_LOCK}/`);
}

export async function seedCache(src: string, cacheDir: string, opts: SeedOptions = {}): Promise<SeedReport> {
  await mkdir(cacheDir, { recursive: true });
  if (!(await stat(cacheDir)).isDirectory()) throw new Error(`cache directory ${cacheDir} is not a directory`);
  // Check and copy under the lock: another build's seed of this cache finishes first.
  return withSeedLock(cacheDir, () => seedLocked(src, cacheDir, opts), opts.lock);
}

async function seedLocked(src: string, cacheDir: string, opts: SeedOptions): Promise<SeedReport> {
  const started = performance.now();

  const sourceMissing = !(await isDirectory(src));
  const fingerprint = sourceMissing ? emptyFingerprint() : await fingerprintTree(src, { exclude: isSeedMarker });
  const previous = await readSeedMarker(cacheDir);
  const report = (skipped: boolean, stats: CopyStats): SeedReport => ({
    skipped,
    sourceMissing,
    fingerprint,
    previousFingerprint: previous?.fingerprint ?? null,
    stats,
    durationMs: performance.now() - started,
  });
  if (previous?.fingerprint === fingerprint) return report(true, emptyStats());

  await removeSeedMarker(cacheDir);
  const stats = sourceMissing
    ? emptyStats()
    : await copyTree(src, cacheDir, { ...opts.copy, skipUnchanged: true, exclude: isSeedMarker });
  await writeSeedMarker(cacheDir, { version: 1, fingerprint, completedAt: new Date().toISOString() });
  return report(false, stats);
}

/** The marker, or null when it is absent, unreadable JSON or of another version (all mean "re-seed"). */
export async function readSeedMarker(cacheDir: string): Promise<SeedMarker | null> {
  let text: string;
  try {
    text = await readFile(path.join(cacheDir, SEED_MARKER), "utf8");
  } catch (err) {
    if (errorCode(err) === "ENOENT" || errorCode(err) === "EISDIR") return null;
    throw err;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const m = value as Record<string, unknown>;
    if (m.version !== SEED_MARKER_VERSION || typeof m.fingerprint !== "string" || typeof m.completedAt !== "string") return null;
    return { version: 1, fingerprint: m.fingerprint, completedAt: m.completedAt };
  } catch {
    return null;
  }
}

/** Deletes the marker and makes the deletion durable before any cache file changes. */
export async function removeSeedMarker(cacheDir: string): Promise<void> {
  // recursive: a directory squatting on the name must go too, or the marker could never be written.
  await rm(path.join(cacheDir, SEED_MARKER), { recursive: true, force: true });
  await fsyncDir(cacheDir);
}

async function writeSeedMarker(cacheDir: string, marker: SeedMarker): Promise<void> {
  // The temp name has the copier's temp prefix, so debris from a crash here is cleaned like any other.
  const tmp = tempPath(path.resolve(cacheDir));
  try {
    const fh = await open(tmp, "wx", 0o644);
    try {
      await fh.writeFile(`${JSON.stringify(marker, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path.join(cacheDir, SEED_MARKER));
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await fsyncDir(cacheDir);
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    const s = await stat(p);
    if (!s.isDirectory()) throw new Error(`seed source ${p} is not a directory`);
    return true;
  } catch (err) {
    if (errorCode(err) === "ENOENT") return false;
    throw err;
  }
}
