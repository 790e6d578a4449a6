/** Helpers for the copier's tests (not part of the bundle: only *.test.ts import this). */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";

export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
export const notRootReason = "needs root (chown); running as a regular user";

/**
 * A fresh temp directory, removed by the returned cleanup. The async rm: Node's
 * rmSync recurses on the JS stack and overflows on the 2,000-level test tree.
 */
export function tempDir(tag = "copier"): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), `cf-${tag}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes files: keys are relative paths (parents created), values contents. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

export interface EntrySnapshot {
  type: "d" | "f" | "l" | "s";
  mode: number;
  uid: number;
  gid: number;
  mtimeUs: bigint;
  size?: number;
  sha?: string;
  target?: string;
}

/** Everything copyTree promises to preserve, per relative path (root excluded). Iterative, for deep trees. */
export function snapshot(root: string, skip: (rel: string) => boolean = () => false): Map<string, EntrySnapshot> {
  const out = new Map<string, EntrySnapshot>();
  const stack = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    for (const name of readdirSync(rel ? path.join(root, rel) : root)) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (skip(childRel)) continue;
      const p = path.join(root, childRel);
      const s = lstatSync(p, { bigint: true });
      const base = { mode: Number(s.mode & 0o7777n), uid: Number(s.uid), gid: Number(s.gid), mtimeUs: s.mtimeNs / 1000n };
      if (s.isDirectory()) {
        out.set(childRel, { type: "d", ...base });
        stack.push(childRel);
      } else if (s.isFile()) {
        const sha = createHash("sha256").update(readFileSync(p)).digest("hex");
        out.set(childRel, { type: "f", ...base, size: Number(s.size), sha });
      } else if (s.isSymbolicLink()) {
        out.set(childRel, { type: "l", ...base, target: readlinkSync(p) });
      } else out.set(childRel, { type: "s", ...base });
    }
  }
  return out;
}

/** Names left behind by the copier's temp files anywhere under root. */
export function tempLeftovers(root: string): string[] {
  const found: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith(".cachefront-tmp-")) found.push(path.join(dir, e.name));
      if (e.isDirectory()) stack.push(path.join(dir, e.name));
    }
  }
  return found;
}
