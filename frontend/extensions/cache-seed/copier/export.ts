/**
 * exportCache: copy a cache mount's contents out (for the CI to save), minus
 * cachefront's own seed marker: the marker describes this cache, not the
 * exported tree, and must not ride along into the next seed.
 */
import { stat } from "node:fs/promises";
import { copyTree, type CopyOptions, type CopyStats } from "./copy-tree.ts";
import { errorCode } from "./fsutil.ts";
import { isSeedMarker } from "./seed.ts";

export interface ExportOptions {
  copy?: Pick<CopyOptions, "concurrency" | "preserveOwner" | "onFile">;
}

export async function exportCache(cacheDir: string, outDir: string, opts: ExportOptions = {}): Promise<CopyStats> {
  try {
    if (!(await stat(cacheDir)).isDirectory()) throw new Error(`cache directory ${cacheDir} is not a directory`);
  } catch (err) {
    if (errorCode(err) === "ENOENT") throw new Error(`cache directory ${cacheDir} does not exist`);
    throw err;
  }
  // copyTree creates outDir (and parents) when missing. Merge semantics: an
  // existing outDir keeps entries the cache lacks.
  return copyTree(cacheDir, outDir, { ...opts.copy, exclude: isSeedMarker });
}
