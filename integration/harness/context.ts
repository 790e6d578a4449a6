// Throwaway build contexts and output directories under the OS temp dir.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** File content, or content with a mode, or a symlink. */
export type ContextFile = string | Buffer | { content: string | Buffer; mode?: number } | { symlink: string };

export interface TmpDir {
  dir: string;
  /** Removes the directory; safe to call twice. */
  cleanup(): Promise<void>;
}

/** An empty temp directory (for `--output type=local,dest=`, caches, OCI tars). */
export async function tmpDir(prefix = "cachefront-"): Promise<TmpDir> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A temp build context holding `files` (paths relative to the context, "/"
 * separated; parent directories are created).
 * Example: tmpContext({ Dockerfile: "FROM busybox\n", "src/run.sh": { content: "...", mode: 0o755 } })
 */
export async function tmpContext(files: Record<string, ContextFile>): Promise<TmpDir> {
  const ctx = await tmpDir("cachefront-ctx-");
  for (const [rel, spec] of Object.entries(files)) {
    if (path.isAbsolute(rel) || rel.split("/").includes("..")) throw new Error(`tmpContext: bad path ${rel}`);
    const abs = path.join(ctx.dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    if (typeof spec === "string" || Buffer.isBuffer(spec)) {
      await writeFile(abs, spec);
    } else if ("symlink" in spec) {
      await symlink(spec.symlink, abs);
    } else {
      await writeFile(abs, spec.content);
      if (spec.mode !== undefined) await chmod(abs, spec.mode);
    }
  }
  return ctx;
}
