import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { copyTree } from "./copy-tree.ts";
import { TEMP_PREFIX, utimeArg } from "./fsutil.ts";
import { isRoot, notRootReason, snapshot, tempDir, tempLeftovers, writeTree } from "./testing.ts";

if (!isRoot) console.warn(`copier tests: owner tests skipped: ${notRootReason}`);

let root: string;
let src: string;
let dst: string;
let cleanup: () => Promise<void>;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  src = path.join(root, "src");
  dst = path.join(root, "dst");
  mkdirSync(src);
});
afterEach(async () => cleanup());

const s = (rel: string) => path.join(src, rel);
const d = (rel: string) => path.join(dst, rel);

describe("merge semantics", () => {
  it("copies a tree into a missing destination, identical in every preserved respect", async () => {
    writeTree(src, { "a.txt": "alpha", "sub/b.txt": "beta", "sub/deeper/c.bin": "\u0000\u0001" });
    mkdirSync(s("empty"));
    const stats = await copyTree(src, dst);
    expect(snapshot(dst)).toEqual(snapshot(src));
    expect(stats).toMatchObject({ filesCopied: 3, filesSkipped: 0, dirs: 3, bytes: 5 + 4 + 2 });
    expect(tempLeftovers(dst)).toEqual([]);
  });

  it("keeps destination entries the source lacks, overwrites the ones it has", async () => {
    writeTree(src, { "shared.txt": "new", "sub/shared.txt": "new sub" });
    writeTree(dst, { "shared.txt": "old old old", "mine.txt": "keep", "sub/mine.txt": "keep too", "other/x": "x" });
    await copyTree(src, dst);
    expect(readFileSync(d("shared.txt"), "utf8")).toBe("new");
    expect(readFileSync(d("sub/shared.txt"), "utf8")).toBe("new sub");
    expect(readFileSync(d("mine.txt"), "utf8")).toBe("keep");
    expect(readFileSync(d("sub/mine.txt"), "utf8")).toBe("keep too");
    expect(readFileSync(d("other/x"), "utf8")).toBe("x");
  });

  it("replaces by rename: a new inode, and another hardlink to the old file keeps the old content", async () => {
    writeTree(src, { "f.txt": "new" });
    writeTree(dst, { "f.txt": "old" });
    linkSync(d("f.txt"), path.join(root, "outside-link"));
    const oldIno = statSync(d("f.txt")).ino;
    await copyTree(src, dst);
    expect(statSync(d("f.txt")).ino).not.toBe(oldIno);
    expect(readFileSync(path.join(root, "outside-link"), "utf8")).toBe("old");
  });

  it("resolves type conflicts by replacing only the conflicting path", async () => {
    writeTree(src, { "was-dir": "now a file", "was-file/inner.txt": "now a dir", "keep/x": "x" });
    symlinkSync("target", s("was-dir-now-link"));
    mkdirSync(s("was-link"));
    writeTree(dst, { "was-dir/a/b.txt": "old tree", "was-file": "old file", "was-dir-now-link/y": "y", "keep/mine": "m" });
    // A destination symlink to a directory must be replaced, never written through.
    const outside = path.join(root, "outside");
    mkdirSync(outside);
    symlinkSync(outside, d("was-link"));
    writeTree(src, { "was-link/inside.txt": "in" });

    await copyTree(src, dst);
    expect(readFileSync(d("was-dir"), "utf8")).toBe("now a file");
    expect(readFileSync(d("was-file/inner.txt"), "utf8")).toBe("now a dir");
    expect(readlinkSync(d("was-dir-now-link"))).toBe("target");
    expect(lstatSync(d("was-link")).isDirectory()).toBe(true);
    expect(readFileSync(d("was-link/inside.txt"), "utf8")).toBe("in");
    expect(existsSync(path.join(outside, "inside.txt"))).toBe(false);
    expect(readFileSync(d("keep/mine"), "utf8")).toBe("m");
    expect(tempLeftovers(dst)).toEqual([]);
  });

  it("honours exclude for files and whole subtrees", async () => {
    writeTree(src, { "a.txt": "a", "skip.txt": "s", "skipdir/x": "x", "sub/skip.txt": "kept: only the root-level path is excluded" });
    const stats = await copyTree(src, dst, { exclude: (rel) => rel === "skip.txt" || rel === "skipdir" });
    expect(existsSync(d("a.txt"))).toBe(true);
    expect(existsSync(d("skip.txt"))).toBe(false);
    expect(existsSync(d("skipdir"))).toBe(false);
    expect(existsSync(d("sub/skip.txt"))).toBe(true);
    expect(stats.filesCopied).toBe(2);
  });

  it("refuses overlapping source and destination", async () => {
    writeTree(src, { "a.txt": "a" });
    await expect(copyTree(src, path.join(src, "inner"))).rejects.toThrow(/overlap/);
    await expect(copyTree(src, src)).rejects.toThrow(/overlap/);
    expect(existsSync(s("inner"))).toBe(false);
    symlinkSync(src, path.join(root, "via-link"));
    await expect(copyTree(src, path.join(root, "via-link"))).rejects.toThrow(/overlap/);
  });

  it("refuses names that are not valid UTF-8 instead of mangling them", async () => {
    writeFileSync(Buffer.from(`${src}/bad-\xff-name`, "latin1"), "x");
    await expect(copyTree(src, dst)).rejects.toThrow(/not valid UTF-8/);
  });
});

describe("metadata", () => {
  it("preserves permission bits including setuid, setgid and sticky", async () => {
    writeTree(src, { "suid": "x", "sgid": "x", "private": "x", "none": "x", "ro/file": "x", "sticky/f": "x" });
    chmodSync(s("suid"), 0o4755);
    chmodSync(s("sgid"), 0o2711);
    chmodSync(s("private"), 0o600);
    chmodSync(s("none"), 0o000);
    chmodSync(s("sticky"), 0o1777);
    chmodSync(s("ro"), 0o555); // read-only dir: its contents must still get written
    await copyTree(src, dst);
    const mode = (rel: string) => lstatSync(d(rel)).mode & 0o7777;
    expect(mode("suid")).toBe(0o4755);
    expect(mode("sgid")).toBe(0o2711);
    expect(mode("private")).toBe(0o600);
    expect(mode("none")).toBe(0o000);
    expect(mode("sticky")).toBe(0o1777);
    expect(mode("ro")).toBe(0o555);
    expect(readFileSync(d("ro/file"), "utf8")).toBe("x");
  });

  it.skipIf(!isRoot)("preserves owners of files, dirs and symlinks, and setuid survives the chown", async () => {
    writeTree(src, { "dir/file": "x", "suid": "x" });
    symlinkSync("dir/file", s("link"));
    chownSync(s("dir"), 1001, 1002);
    chownSync(s("dir/file"), 1003, 1004);
    chownSync(s("suid"), 1005, 1006);
    chmodSync(s("suid"), 0o6755);
    lchownSync(s("link"), 1007, 1008);
    await copyTree(src, dst);
    const owner = (rel: string) => [lstatSync(d(rel)).uid, lstatSync(d(rel)).gid];
    expect(owner("dir")).toEqual([1001, 1002]);
    expect(owner("dir/file")).toEqual([1003, 1004]);
    expect(owner("suid")).toEqual([1005, 1006]);
    expect(lstatSync(d("suid")).mode & 0o7777).toBe(0o6755);
    expect(owner("link")).toEqual([1007, 1008]);
  });

  it.skipIf(!isRoot)("gives root's files root's group even inside a setgid destination directory", async () => {
    writeTree(src, { "shared/own.txt": "x", "shared/new/deep.txt": "y" });
    symlinkSync("own.txt", s("shared/link"));
    mkdirSync(d("shared"), { recursive: true });
    chownSync(d("shared"), 0, 4321);
    chmodSync(d("shared"), 0o2775); // new entries would inherit group 4321
    await copyTree(src, dst);
    for (const rel of ["shared", "shared/own.txt", "shared/link", "shared/new", "shared/new/deep.txt"]) {
      expect([rel, lstatSync(d(rel)).gid]).toEqual([rel, 0]);
    }
  });

  it("preserves atime and mtime to the microsecond, for files, symlinks and directories", async () => {
    writeTree(src, { "dir/file": "x" });
    symlinkSync("nowhere", s("link"));
    // Odd nanosecond values: the microsecond must come through exactly, not one low.
    const t = (ns: bigint) => utimeArg(ns);
    utimesSync(s("dir/file"), t(1_600_000_000_999_999_999n), t(1_700_000_000_123_456_789n));
    lutimesSync(s("link"), t(1_500_000_000_000_001_000n), t(1_500_000_000_000_002_999n));
    utimesSync(s("dir"), t(1_400_000_000_000_000_000n), t(1_400_000_000_654_321_000n));
    await copyTree(src, dst);
    const times = (p: string) => {
      const st = lstatSync(p, { bigint: true });
      return [st.atimeNs / 1000n, st.mtimeNs / 1000n];
    };
    // (Not compared with the source's atime: reading the source for the copy may bump it.)
    expect(times(d("dir/file"))).toEqual([1_600_000_000_999_999n, 1_700_000_000_123_456n]);
    expect(times(d("link"))).toEqual([1_500_000_000_000_001n, 1_500_000_000_000_002n]); // readlink bumps the source's atime too
    expect(times(d("dir"))).toEqual([1_400_000_000_000_000n, 1_400_000_000_654_321n]);
  });
});

describe("symlinks and hardlinks", () => {
  it("copies relative, absolute and dangling symlinks as links, never following them", async () => {
    const outside = path.join(root, "outside");
    mkdirSync(path.join(outside, "d"), { recursive: true });
    writeFileSync(path.join(outside, "secret"), "outside");
    writeTree(src, { "real.txt": "r" });
    symlinkSync("real.txt", s("rel"));
    symlinkSync(path.join(outside, "secret"), s("abs"));
    symlinkSync("../no/such/file", s("dangling"));
    symlinkSync(path.join(outside, "d"), s("dirlink"));
    const stats = await copyTree(src, dst);
    expect(readlinkSync(d("rel"))).toBe("real.txt");
    expect(readlinkSync(d("abs"))).toBe(path.join(outside, "secret"));
    expect(readlinkSync(d("dangling"))).toBe("../no/such/file");
    expect(lstatSync(d("dirlink")).isSymbolicLink()).toBe(true);
    expect(stats.symlinks).toBe(4);
    expect(stats.filesCopied).toBe(1);
  });

  it("preserves hardlink groups, across directories", async () => {
    writeTree(src, { "a/one": "shared content", "single": "alone" });
    mkdirSync(s("b"));
    linkSync(s("a/one"), s("b/two"));
    linkSync(s("a/one"), s("three"));
    const stats = await copyTree(src, dst);
    const ino = (rel: string) => lstatSync(d(rel)).ino;
    expect(ino("b/two")).toBe(ino("a/one"));
    expect(ino("three")).toBe(ino("a/one"));
    expect(ino("single")).not.toBe(ino("a/one"));
    expect(lstatSync(d("a/one")).nlink).toBe(3);
    expect(stats).toMatchObject({ filesCopied: 2, hardlinks: 2 });

    // Again, with skipUnchanged: nothing rewritten, links intact.
    const again = await copyTree(src, dst, { skipUnchanged: true });
    expect(again).toMatchObject({ filesCopied: 0, filesSkipped: 2, hardlinks: 2 });
    expect(lstatSync(d("a/one")).nlink).toBe(3);
  });

  it("relinks destination names whose hardlink structure differs from the source", async () => {
    writeTree(src, { "x": "same", "y": "same" });
    linkSync(s("x"), s("z"));
    // dst: x and y linked together (source has them separate), z a separate file.
    writeTree(dst, { "x": "same", "z": "same" });
    linkSync(d("x"), d("y"));
    await copyTree(src, dst, { skipUnchanged: true });
    expect(lstatSync(d("z")).ino).toBe(lstatSync(d("x")).ino);
    expect(lstatSync(d("y")).ino).not.toBe(lstatSync(d("x")).ino);
  });
});

describe("scale and robustness", () => {
  it("copies a 2,000-level-deep tree without overflowing the stack", async () => {
    const depth = 2000;
    const rel = Array.from({ length: depth }, () => "d").join("/");
    mkdirSync(s(rel), { recursive: true });
    writeFileSync(path.join(s(rel), "f"), "bottom");
    const stats = await copyTree(src, dst);
    expect(stats.dirs).toBe(depth);
    expect(readFileSync(path.join(d(rel), "f"), "utf8")).toBe("bottom");
  });

  it("skipUnchanged leaves unchanged files alone and copies only changed ones", async () => {
    writeTree(src, { "a": "aaaa", "b": "bbbb", "sub/c": "cccc" });
    await copyTree(src, dst, { skipUnchanged: true });
    const inodes = () => ["a", "b", "sub/c"].map((rel) => lstatSync(d(rel)).ino);
    const before = inodes();

    const again = await copyTree(src, dst, { skipUnchanged: true });
    expect(again).toMatchObject({ filesCopied: 0, filesSkipped: 3, bytes: 0 });
    expect(inodes()).toEqual(before);

    // Same size, new content and mtime: copied. A mode change alone: copied too.
    writeFileSync(s("b"), "BBBB");
    utimesSync(s("b"), 2_000_000_000, 2_000_000_000);
    chmodSync(s("sub/c"), 0o640);
    const third = await copyTree(src, dst, { skipUnchanged: true });
    expect(third).toMatchObject({ filesCopied: 2, filesSkipped: 1, bytes: 8 });
    expect(readFileSync(d("b"), "utf8")).toBe("BBBB");
    expect(lstatSync(d("a")).ino).toBe(before[0]);
    expect(lstatSync(d("b")).ino).not.toBe(before[1]);

    // Without skipUnchanged everything is rewritten.
    expect(await copyTree(src, dst)).toMatchObject({ filesCopied: 3, filesSkipped: 0 });
  });

  it("a failure mid-copy leaves no temp files and no partial file at a real name", async () => {
    writeTree(src, { "a": "new a", "b": "new b", "c": "new c" });
    writeTree(dst, { "b": "old b" });
    await expect(
      copyTree(src, dst, {
        concurrency: 1,
        onFile: (rel) => {
          if (rel === "b") throw new Error("injected failure");
        },
      }),
    ).rejects.toThrow("injected failure");
    expect(readFileSync(d("b"), "utf8")).toBe("old b");
    expect(tempLeftovers(dst)).toEqual([]);
  });

  it("never copies temp entries, and removes stale ones from the destination", async () => {
    writeTree(src, { "a": "a", [`${TEMP_PREFIX}123-abc-0`]: "debris in the source" });
    writeTree(dst, { [`${TEMP_PREFIX}999-dead-0`]: "debris", [`sub/${TEMP_PREFIX}999-dead-1`]: "debris" });
    mkdirSync(s("sub"));
    await copyTree(src, dst);
    expect(existsSync(d(`${TEMP_PREFIX}123-abc-0`))).toBe(false);
    // Fresh debris could belong to a live copier: kept.
    expect(tempLeftovers(dst)).toHaveLength(2);

    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 11 * 60_000);
      await copyTree(src, dst);
    } finally {
      vi.useRealTimers();
    }
    expect(tempLeftovers(dst)).toEqual([]);
  });

  it("skips FIFOs (Node cannot create them) and counts them", async () => {
    writeTree(src, { "a": "a" });
    execFileSync("mkfifo", [s("pipe")]);
    const stats = await copyTree(src, dst);
    expect(stats.specialSkipped).toBe(1);
    expect(existsSync(d("pipe"))).toBe(false);
  });

  it("applies the root's metadata only when asked", async () => {
    writeTree(src, { "a": "a" });
    chmodSync(src, 0o750);
    mkdirSync(dst, { mode: 0o755 });
    chmodSync(dst, 0o755);
    await copyTree(src, dst);
    expect(lstatSync(dst).mode & 0o7777).toBe(0o755);
    await copyTree(src, dst, { copyRootMetadata: true });
    expect(lstatSync(dst).mode & 0o7777).toBe(0o750);
  });
});
