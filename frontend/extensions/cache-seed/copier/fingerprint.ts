/**
 * A metadata fingerprint of a tree: what changed since the last seed, at the
 * cost of a stat walk instead of reading every byte. It hashes, per entry,
 * the relative path, type, size, mtime (ns), mode, uid, gid, link count and
 * symlink target. A rewrite that keeps size and mtime identical is not seen;
 * that is the same trade `make`, rsync's default and Go's cache trimming make.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { isTempName, readLinkStrict } from "./fsutil.ts";

export interface FingerprintOptions {
  /** Same contract as CopyOptions.exclude, so the fingerprint covers exactly what a copy would write. */
  exclude?: (relPath: string) => boolean;
}

/** Bump when the record format changes, so old markers stop matching. */
const FORMAT = "cachefront-fingerprint-v1";

export async function fingerprintTree(root: string, opts: FingerprintOptions = {}): Promise<string> {
  const base = path.resolve(root);
  // The root is followed (it may be a mount or a symlink the caller named), like copyTree does.
  if (!(await stat(base)).isDirectory()) throw new Error(`fingerprint root ${base} is not a directory`);
  const records: Array<[rel: string, record: string]> = [];

  // A synchronous walk: the copier is a process of its own with nothing else
  // to do meanwhile, and for a metadata-only walk the thread-pool round trip
  // of every async lstat costs more than the lstat (3x on 30,000 files). This
  // walk is what an unchanged re-seed costs, so it is kept lean.
  const stack = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const dir = rel === "" ? base : `${base}/${rel}`;
    for (const name of readdirSync(dir)) {
      if (isTempName(name)) continue; // copyTree skips these too
      const childRel = rel === "" ? name : `${rel}/${name}`;
      if (opts.exclude?.(childRel)) continue;
      const p = `${base}/${childRel}`;
      const s = lstatSync(p, { bigint: true });
      let type: string;
      let size = s.size;
      let target = "";
      if (s.isDirectory()) {
        type = "d";
        size = 0n; // a directory's size is filesystem bookkeeping, not content
        stack.push(childRel);
      } else if (s.isFile()) type = "f";
      else if (s.isSymbolicLink()) {
        type = "l";
        target = await readLinkStrict(p);
      } else type = "s";
      // NUL separates fields and ends records: no path or target can contain it, so the encoding is unambiguous.
      const fields = [childRel, type, size, s.mtimeNs, s.mode, s.uid, s.gid, s.isDirectory() ? 0n : s.nlink, target];
      records.push([childRel, `${fields.join("\0")}\0`]);
    }
  }

  // Walk order depends on the filesystem; the hash must not.
  records.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const hash = createHash("sha256").update(`${FORMAT}\0`);
  for (const [, record] of records) hash.update(record);
  return hash.digest("hex");
}

/** The fingerprint of an empty (or missing) tree, so "no seed" is just another seed. */
export function emptyFingerprint(): string {
  return createHash("sha256").update(`${FORMAT}\0`).digest("hex");
}
