/**
 * A metadata fingerprint of a tree: what changed since the last seed, at the
 * cost of a stat walk instead of reading every byte. It hashes, per entry,
 * the relative path, type, size, mtime (ns), mode, uid, gid, link count and
 * symlink target. A rewrite that keeps size and mtime identical is not seen;
 * that is the same trade `make`, rsync's default and Go's cache trimming make.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { lstatBig } from "./fast-fs.ts";
import path from "node:path";
import { isTempName, readLinkStrict, readNames } from "./fsutil.ts";
import { WorkPool } from "./pool.ts";

export interface FingerprintOptions {
  /** Same contract as CopyOptions.exclude, so the fingerprint covers exactly what a copy would write. */
  exclude?: (relPath: string) => boolean;
  concurrency?: number;
}

/** Bump when the record format changes, so old markers stop matching. */
const FORMAT = "cachefront-fingerprint-v1";

export async function fingerprintTree(root: string, opts: FingerprintOptions = {}): Promise<string> {
  const base = path.resolve(root);
  const records: Array<[rel: string, record: string]> = [];
  const pool = new WorkPool(opts.concurrency ?? 48);

  const walk = async (rel: string): Promise<void> => {
    const dir = rel === "" ? base : `${base}/${rel}`;
    for (const name of await readNames(dir)) {
      if (isTempName(name)) continue; // copyTree skips these too
      const childRel = rel === "" ? name : `${rel}/${name}`;
      if (opts.exclude?.(childRel)) continue;
      pool.add(() => visit(childRel));
    }
  };

  const visit = async (rel: string): Promise<void> => {
    const p = `${base}/${rel}`;
    const s = await lstatBig(p);
    let type: string;
    let size = s.size;
    let target = "";
    if (s.isDirectory()) {
      type = "d";
      size = 0n; // a directory's size is filesystem bookkeeping, not content
      pool.add(() => walk(rel));
    } else if (s.isFile()) type = "f";
    else if (s.isSymbolicLink()) {
      type = "l";
      target = await readLinkStrict(p);
    } else type = "s";
    // NUL separates fields and ends records: no path or target can contain it, so the encoding is unambiguous.
    const fields = [rel, type, size, s.mtimeNs, s.mode, s.uid, s.gid, s.isDirectory() ? 0n : s.nlink, target];
    records.push([rel, `${fields.join("\0")}\0`]);
  };

  // The root is followed (it may be a mount or a symlink the caller named), like copyTree does.
  if (!(await stat(base)).isDirectory()) throw new Error(`fingerprint root ${base} is not a directory`);
  pool.add(() => walk(""));
  await pool.drain();

  // Walk order depends on timing; the hash must not.
  records.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const hash = createHash("sha256").update(`${FORMAT}\0`);
  for (const [, record] of records) hash.update(record);
  return hash.digest("hex");
}

/** The fingerprint of an empty (or missing) tree, so "no seed" is just another seed. */
export function emptyFingerprint(): string {
  return createHash("sha256").update(`${FORMAT}\0`).digest("hex");
}
