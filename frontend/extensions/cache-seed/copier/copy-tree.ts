/**
 * copyTree: merge one directory tree into another, preserving what `cp -a`
 * preserves (modes incl. setuid/setgid/sticky, owners, atime/mtime, symlinks,
 * hardlinks), with every replacement atomic.
 *
 * Merge, not mirror: entries of the destination that the source lacks are
 * kept, because the destination is a cache that builds keep adding to.
 *
 * How a path gets replaced: the new file/symlink/hardlink is made under a
 * temp name in the same directory, given its metadata, then renamed over the
 * target. A reader sees the old entry or the new one, never a partial file,
 * and a killed copier leaves at worst a temp entry (removed by a later run),
 * never a truncated file at a real name. We never open an existing
 * destination file for writing, so other hardlinks to it stay untouched.
 */
import { constants, type BigIntStats } from "node:fs";
import { lstat, mkdir, realpath, rm, stat, unlink } from "node:fs/promises";
import { chmodTo, copyFileTo, lchownTo, linkTo, lstatBig, lutimesAt, mkdirMode, renameTo, symlinkTo, utimesAt } from "./fast-fs.ts";
import path from "node:path";
import { errorCode, isRoot, isTempName, micros, readLinkStrict, readNames, STALE_TEMP_MS, tempPath, utimeArg } from "./fsutil.ts";
import { WorkPool } from "./pool.ts";

export interface CopyOptions {
  /** Leave a regular file alone when the destination has the same size, mtime (µs), mode, uid and gid. */
  skipUnchanged?: boolean;
  /** Paths relative to the source root, `/`-separated (`a/b.txt`); an excluded directory excludes its subtree. */
  exclude?: (relPath: string) => boolean;
  /** Filesystem jobs in flight (default 48). */
  concurrency?: number;
  /** chown entries to the source's uid/gid (default: only when running as root, as anyone else gets EPERM). */
  preserveOwner?: boolean;
  /** Also apply the source root directory's mode/owner/times to the destination root (default false: the
   * destination root is typically a cache mount whose owner and mode were set by the mount options). */
  copyRootMetadata?: boolean;
  /** Called before each regular file is copied; throwing aborts the copy (progress hook and test seam). */
  onFile?: (relPath: string) => void | Promise<void>;
}

export interface CopyStats {
  /** Regular files written (the first name of each hardlink group counts here). */
  filesCopied: number;
  /** Regular files left alone by skipUnchanged. */
  filesSkipped: number;
  /** Directories in the source (excluding the root). */
  dirs: number;
  /** Symlinks written or found identical. */
  symlinks: number;
  /** Extra names of hardlink groups, linked or found already linked. */
  hardlinks: number;
  /** Bytes of regular file content copied. */
  bytes: number;
  /** FIFOs, sockets and device nodes, which Node cannot create: not copied. */
  specialSkipped: number;
}

export function emptyStats(): CopyStats {
  return { filesCopied: 0, filesSkipped: 0, dirs: 0, symlinks: 0, hardlinks: 0, bytes: 0, specialSkipped: 0 };
}

export async function copyTree(src: string, dst: string, opts: CopyOptions = {}): Promise<CopyStats> {
  return new CopyJob(path.resolve(src), path.resolve(dst), opts).run();
}

interface DirMeta {
  path: string;
  src: BigIntStats;
  /** The destination directory as found, or undefined when we created it (or changed its mode). */
  found: BigIntStats | undefined;
}

const COPY_FLAGS = constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE;
const SPECIAL_BITS = 0o7000n;

class CopyJob {
  private readonly stats = emptyStats();
  private readonly pool: WorkPool;
  private readonly owner: boolean;
  /** "dev:ino" of a multiply-linked source file → destination path of its first copy, once written. */
  private readonly links = new Map<string, Promise<string>>();
  private readonly dirs: DirMeta[] = [];
  /**
   * Destination directories with the setgid bit (existing ones, and new ones
   * made inside them, which inherit it). Entries created there take the
   * directory's group instead of ours, so the lchown shortcut below is off.
   */
  private readonly setgidDirs = new Set<string>();
  private readonly euid = BigInt(process.geteuid?.() ?? -1);
  private readonly egid = BigInt(process.getegid?.() ?? -1);

  constructor(
    private readonly src: string,
    private readonly dst: string,
    private readonly opts: CopyOptions,
  ) {
    this.pool = new WorkPool(opts.concurrency ?? 48);
    this.owner = opts.preserveOwner ?? isRoot();
  }

  async run(): Promise<CopyStats> {
    // The roots are followed (they may be mounts or symlinks the caller named); nothing below them is.
    const srcRoot = await stat(this.src, { bigint: true });
    if (!srcRoot.isDirectory()) throw new Error(`copy source ${this.src} is not a directory`);
    checkOverlap(this.src, this.dst, this.src, this.dst); // lexically first, so we create nothing inside the source
    const created = await mkdir(this.dst, { recursive: true });
    const dstRoot = await stat(this.dst, { bigint: true });
    if (!dstRoot.isDirectory()) throw new Error(`copy destination ${this.dst} is not a directory`);
    await this.refuseOverlap();

    if ((dstRoot.mode & 0o2000n) !== 0n) this.setgidDirs.add(this.dst);
    if (this.opts.copyRootMetadata) this.dirs.push({ path: this.dst, src: srcRoot, found: created ? undefined : dstRoot });
    this.pool.add(() => this.walkDir("", created !== undefined));
    await this.pool.drain();

    // Directory metadata last: every entry written bumps its directory's
    // mtime, and a read-only mode applied early would block later writes.
    // Order among directories does not matter: chmod/chown/utimes of a child
    // leave the parent's mtime alone.
    for (const dir of this.dirs) this.pool.add(() => this.applyDirMeta(dir));
    await this.pool.drain();
    return this.stats;
  }

  /** Again through symlinks, now that the destination exists. */
  private async refuseOverlap(): Promise<void> {
    const [s, d] = await Promise.all([realpath(this.src), realpath(this.dst)]);
    checkOverlap(s, d, this.src, this.dst);
  }

  private srcPath(rel: string): string {
    return rel === "" ? this.src : `${this.src}/${rel}`;
  }

  private dstPath(rel: string): string {
    return rel === "" ? this.dst : `${this.dst}/${rel}`;
  }

  /** Lists one source directory and queues its entries. `fresh`: we just created the destination, so it is empty. */
  private async walkDir(rel: string, fresh: boolean): Promise<void> {
    const names = await readNames(this.srcPath(rel));
    let existing: Set<string> | undefined;
    if (!fresh) {
      // One readdir per directory spares an lstat per new entry, and is where
      // temp debris of killed copiers gets noticed.
      const dstDir = this.dstPath(rel);
      existing = new Set();
      for (const name of await readNames(dstDir)) {
        if (isTempName(name)) this.pool.add(() => removeIfStale(`${dstDir}/${name}`));
        else existing.add(name);
      }
    }
    for (const name of names) {
      if (isTempName(name)) continue; // another copier's in-flight (or dead) temp entry, never content
      const childRel = rel === "" ? name : `${rel}/${name}`;
      if (this.opts.exclude?.(childRel)) continue;
      const mayExist = existing?.has(name) ?? false;
      this.pool.add(() => this.copyEntry(childRel, mayExist));
    }
  }

  private async copyEntry(rel: string, mayExist: boolean): Promise<void> {
    const from = this.srcPath(rel);
    const to = this.dstPath(rel);
    const s = await lstatBig(from);
    if (s.isDirectory()) return this.enterDir(rel, to, s, mayExist);
    if (s.isFile()) {
      await this.opts.onFile?.(rel);
      return s.nlink > 1n ? this.copyLinked(from, to, s, mayExist) : this.copyRegular(from, to, s, mayExist);
    }
    if (s.isSymbolicLink()) return this.copySymlink(from, to, s, mayExist);
    this.stats.specialSkipped++;
  }

  private async enterDir(rel: string, to: string, s: BigIntStats, mayExist: boolean): Promise<void> {
    this.stats.dirs++;
    let found = mayExist ? await lstatOrNull(to) : undefined;
    if (found && !found.isDirectory()) {
      // Type conflict: only this path is replaced. Never descend through a
      // destination symlink: that would write outside the tree.
      await unlink(to);
      found = undefined;
    }
    if (!found) {
      try {
        // 0700 until applyDirMeta: we must be able to write into it meanwhile.
        await mkdirMode(to, 0o700);
      } catch (err) {
        if (errorCode(err) !== "EEXIST") throw err;
        // A concurrent writer got there first.
        found = await lstatBig(to);
        if (!found.isDirectory()) {
          await unlink(to);
          await mkdirMode(to, 0o700);
          found = undefined;
        }
      }
    }
    const fresh = found === undefined;
    if (fresh ? this.setgidDirs.has(path.dirname(to)) : (found!.mode & 0o2000n) !== 0n) this.setgidDirs.add(to);
    if (found && !this.owner && (found.mode & 0o700n) !== 0o700n) {
      // Not root: a read-only existing directory would refuse our renames.
      await chmodTo(to, Number(found.mode & 0o7777n) | 0o700);
      found = undefined; // its mode is no longer what we found: applyDirMeta must chmod
    }
    this.dirs.push({ path: to, src: s, found });
    this.pool.add(() => this.walkDir(rel, fresh));
  }

  private async copyRegular(from: string, to: string, s: BigIntStats, mayExist: boolean): Promise<void> {
    if (this.opts.skipUnchanged && mayExist) {
      const found = await lstatOrNull(to);
      if (found && this.unchanged(s, found)) {
        this.stats.filesSkipped++;
        return;
      }
    }
    const tmp = tempPath(path.dirname(to));
    try {
      // copy_file_range (or a reflink where the filesystem can) in one libuv job; also sets the mode.
      await copyFileTo(from, tmp, COPY_FLAGS);
      await this.applyMeta(tmp, s, false);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
    await install(tmp, to);
    this.stats.filesCopied++;
    this.stats.bytes += Number(s.size);
  }

  /** Files with several names: the first name seen is copied, the others are hardlinked to that copy. */
  private async copyLinked(from: string, to: string, s: BigIntStats, mayExist: boolean): Promise<void> {
    const key = `${s.dev}:${s.ino}`;
    const first = this.links.get(key);
    if (!first) {
      const done = this.copyRegular(from, to, s, mayExist).then(() => to);
      this.links.set(key, done);
      await done;
      return;
    }
    // Waiting holds a pool slot, but the first copy is already running in its own slot: no deadlock.
    const target = await first;
    if (mayExist) {
      const [found, t] = await Promise.all([lstatOrNull(to), lstatBig(target)]);
      // Already the same inode: done. (rename() between two names of one inode
      // would do nothing and leave our temp behind, so this check is needed anyway.)
      if (found && found.dev === t.dev && found.ino === t.ino) {
        this.stats.hardlinks++;
        return;
      }
    }
    const tmp = tempPath(path.dirname(to));
    await linkTo(target, tmp);
    await install(tmp, to);
    // If a concurrent copier linked `to` to the same inode meanwhile, the
    // rename was a no-op (POSIX) and the temp name still exists.
    await rm(tmp, { force: true });
    this.stats.hardlinks++;
  }

  private async copySymlink(from: string, to: string, s: BigIntStats, mayExist: boolean): Promise<void> {
    const target = await readLinkStrict(from);
    if (this.opts.skipUnchanged && mayExist) {
      const found = await lstatOrNull(to);
      if (found?.isSymbolicLink() && micros(found.mtimeNs) === micros(s.mtimeNs) && this.sameOwner(s, found)) {
        const current = await readLinkStrict(to).catch(() => undefined);
        if (current === target) {
          this.stats.symlinks++;
          return;
        }
      }
    }
    const tmp = tempPath(path.dirname(to));
    try {
      await symlinkTo(target, tmp);
      await this.applyMeta(tmp, s, true);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
    await install(tmp, to);
    this.stats.symlinks++;
  }

  /** Owner, special mode bits and times of a freshly made temp entry (copyFile already set the plain mode). */
  private async applyMeta(p: string, s: BigIntStats, isLink: boolean): Promise<void> {
    // A new entry already belongs to our euid/egid unless its directory is
    // setgid: skip the lchown then. Most cache files are root's, so this
    // saves one syscall round trip in five.
    const ours = s.uid === this.euid && s.gid === this.egid && !this.setgidDirs.has(path.dirname(p));
    if (this.owner && !ours) await lchownTo(p, Number(s.uid), Number(s.gid));
    // chown clears setuid/setgid, and copyFile's chmod ran before it: set the mode again when it matters.
    // (Always, not only after a chown: a non-root copyFile may have lost setgid for a foreign group.)
    // (Symlinks have no mode of their own on Linux.)
    if (!isLink && (s.mode & SPECIAL_BITS) !== 0n) await chmodTo(p, Number(s.mode & 0o7777n));
    const atime = utimeArg(s.atimeNs);
    const mtime = utimeArg(s.mtimeNs);
    await (isLink ? lutimesAt(p, atime, mtime) : utimesAt(p, atime, mtime));
  }

  private async applyDirMeta({ path: p, src: s, found }: DirMeta): Promise<void> {
    const chown = this.owner && (!found || found.uid !== s.uid || found.gid !== s.gid);
    if (chown) await lchownTo(p, Number(s.uid), Number(s.gid));
    if (chown || !found || found.mode !== s.mode) await chmodTo(p, Number(s.mode & 0o7777n));
    await utimesAt(p, utimeArg(s.atimeNs), utimeArg(s.mtimeNs));
  }

  private sameOwner(a: BigIntStats, b: BigIntStats): boolean {
    return !this.owner || (a.uid === b.uid && a.gid === b.gid);
  }

  private unchanged(s: BigIntStats, d: BigIntStats): boolean {
    return (
      d.isFile() &&
      d.size === s.size &&
      d.mode === s.mode &&
      micros(d.mtimeNs) === micros(s.mtimeNs) &&
      this.sameOwner(s, d) &&
      // A singly-linked source whose copy shares its inode with other names must be split off.
      (s.nlink > 1n || d.nlink === 1n)
    );
  }
}

/** Copying a tree into itself (or the reverse) would read what it is writing. */
function checkOverlap(src: string, dst: string, srcName: string, dstName: string): void {
  const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith("/") ? b : `${b}/`);
  if (inside(dst, src) || inside(src, dst)) throw new Error(`copy source ${srcName} and destination ${dstName} overlap`);
}

/** Renames a prepared temp entry over `to`; removes the temp entry on failure. */
async function install(tmp: string, to: string): Promise<void> {
  try {
    await renameTo(tmp, to);
    return;
  } catch (err) {
    const code = errorCode(err);
    if (code !== "EISDIR" && code !== "ENOTEMPTY" && code !== "EEXIST") {
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  }
  // A directory holds the name where the source has a file or symlink. It
  // cannot be renamed over, so move it aside first: the name is missing only
  // between two renames, and the old tree is deleted after ours is in place.
  const trash = tempPath(path.dirname(to));
  try {
    await renameTo(to, trash);
    await renameTo(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await rm(trash, { recursive: true, force: true });
}

async function lstatOrNull(p: string): Promise<BigIntStats | undefined> {
  try {
    return await lstatBig(p);
  } catch (err) {
    if (errorCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** Removes a temp entry left by a dead copier. Live copiers keep touching theirs (ctime), so age tells them apart. */
async function removeIfStale(p: string): Promise<void> {
  try {
    const st = await lstat(p);
    if (Date.now() - st.ctimeMs > STALE_TEMP_MS) await rm(p, { recursive: true, force: true });
  } catch {
    // Best effort: it may be gone already (its owner renamed it).
  }
}
