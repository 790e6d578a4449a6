// A comparable listing of an exported filesystem, so two builds can be checked
// to produce the same tree, content, modes and owners.
//
// Ownership: `--output type=local` does NOT keep uid/gid (files belong to
// whoever ran buildx), so compare owners through `--output type=tar` and
// treeOfTar; both give the same TreeEntry shape.
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { readTar } from "./tar.ts";

export interface TreeEntry {
  /** Relative to the root, "/"-separated, no leading "./". */
  path: string;
  type: "file" | "dir" | "symlink" | "other";
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content for files, length of the target for symlinks, 0 otherwise. */
  size: number;
  /** sha256 of the content (files) or of the link target (symlinks); "" otherwise. */
  sha256: string;
  /** The link target, for readable diffs; only on symlinks. */
  target?: string;
}

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Every entry under `root` (not root itself), sorted by path. Symlinks are not followed. */
export async function treeOf(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  async function walk(rel: string): Promise<void> {
    const names = (await readdir(path.join(root, rel))).sort();
    for (const name of names) {
      const relPath = rel === "" ? name : `${rel}/${name}`;
      const abs = path.join(root, relPath);
      const st = await lstat(abs);
      const base = { path: relPath, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
      if (st.isSymbolicLink()) {
        const target = await readlink(abs);
        entries.push({ ...base, type: "symlink", size: Buffer.byteLength(target), sha256: sha256(target), target });
      } else if (st.isDirectory()) {
        entries.push({ ...base, type: "dir", size: 0, sha256: "" });
        await walk(relPath);
      } else if (st.isFile()) {
        entries.push({ ...base, type: "file", size: st.size, sha256: sha256(await readFile(abs)) });
      } else {
        entries.push({ ...base, type: "other", size: 0, sha256: "" });
      }
    }
  }
  await walk("");
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The same listing from a tar (`--output type=tar,dest=x.tar`), which keeps
 * uid/gid. Hardlinks are listed as the files they link to, as a local export
 * would show them.
 */
export async function treeOfTar(tarPath: string): Promise<TreeEntry[]> {
  const raw = readTar(await readFile(tarPath)).filter((e) => e.path !== "" && e.path !== ".");
  const byPath = new Map(raw.map((e) => [e.path, e]));
  const entries = raw.map((e): TreeEntry => {
    const base = { path: e.path, mode: e.mode, uid: e.uid, gid: e.gid };
    switch (e.type) {
      case "symlink":
        return { ...base, type: "symlink", size: Buffer.byteLength(e.linkname), sha256: sha256(e.linkname), target: e.linkname };
      case "hardlink": {
        const data = byPath.get(e.linkname.replace(/^\.\//, ""))?.data ?? Buffer.alloc(0);
        return { ...base, type: "file", size: data.length, sha256: sha256(data) };
      }
      case "file":
        return { ...base, type: "file", size: e.data.length, sha256: sha256(e.data) };
      default:
        return { ...base, type: e.type === "dir" ? "dir" : "other", size: 0, sha256: "" };
    }
  });
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
