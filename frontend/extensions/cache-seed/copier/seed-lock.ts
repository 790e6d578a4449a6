/**
 * Seeds of one cache take turns through a lock directory inside the cache.
 *
 * The seed step mounts the cache with the sharing mode the RUN uses (not
 * `locked`: BuildKit would give a concurrent `shared` user of another build a
 * fresh, empty directory, forking the cache), so two builds may seed the same
 * directory at once. `mkdir` is atomic, so whoever creates the lock directory
 * holds it; the holder touches it every few seconds, and a lock left untouched
 * for `staleMs` (its holder was killed) is broken. Processes in different
 * build containers cannot see each other's pids: a lease is all there is.
 */
import { mkdir, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { errorCode } from "./fsutil.ts";

export const SEED_LOCK = ".cachefront-seed.lock";

export interface LockOptions {
  staleMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  timeoutMs?: number;
  /** Told once when the lock is busy, so the user sees why the step waits. */
  onWait?: () => void;
}

export async function withSeedLock<T>(cacheDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const staleMs = opts.staleMs ?? 30_000;
  const pollMs = opts.pollMs ?? 200;
  const heartbeatMs = opts.heartbeatMs ?? Math.max(1, Math.floor(staleMs / 6));
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  const lock = path.join(cacheDir, SEED_LOCK);
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if (errorCode(err) !== "EEXIST") throw err;
    }
    if (await isStale(lock, staleMs)) {
      // Look again right before breaking it: a holder that just took over has a fresh mtime.
      if (await isStale(lock, staleMs)) await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another seed of this cache (lock ${SEED_LOCK})`);
    if (!told) {
      opts.onWait?.();
      told = true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const beat = setInterval(() => {
    const now = new Date();
    utimes(lock, now, now).catch(() => {});
  }, heartbeatMs);
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    await rm(lock, { recursive: true, force: true });
  }
}

async function isStale(lock: string, staleMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(lock)).mtimeMs > staleMs;
  } catch (err) {
    if (errorCode(err) === "ENOENT") return false;
    throw err;
  }
}
