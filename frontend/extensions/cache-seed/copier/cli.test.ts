import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formatBytes, runCopierCli } from "./cli.ts";
import { tempDir, writeTree } from "./testing.ts";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(() => ({ dir: root, cleanup } = tempDir("cli")));
afterEach(async () => {
  vi.unstubAllEnvs();
  await cleanup();
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCopierCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe("cache-copier CLI", () => {
  it("prints usage for --help and exits 0", async () => {
    const r = await run("--help");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toMatch(/^usage: cache-copier seed <src> <cache>/);
  });

  it.each([
    [[], /missing command/],
    [["copy", "a", "b"], /unknown command "copy"/],
    [["seed", "only-one"], /seed takes exactly two directories, got 1/],
    [["export", "a", "b", "c"], /export takes exactly two directories, got 3/],
    [["seed", "--fast", "a", "b"], /unknown option --fast/],
  ])("rejects %j with exit 1 and usage on stderr", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
    expect(r.err).toContain("usage: cache-copier");
  });

  it("seeds, reports an unchanged seed, and exports", async () => {
    const src = path.join(root, "src");
    const cache = path.join(root, "cache");
    writeTree(src, { "a": "x".repeat(1500), "b/c": "y" });
    const first = await run("seed", src, cache);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(/^seeded 2 files \(1\.5 kB\) into the cache in \d+\.\d+s\n$/);

    const second = await run("seed", src, cache);
    expect(second.out).toMatch(/^seed unchanged \(fingerprint [0-9a-f]{12}…\), skipped in \d+\.\d+s\n$/);

    writeFileSync(path.join(src, "new"), "z");
    const third = await run("seed", src, cache);
    expect(third.out).toMatch(/^seeded 1 file \(1 B\) into the cache in \d+\.\d+s; 2 unchanged files kept\n$/);

    const exported = await run("export", cache, path.join(root, "out"));
    expect(exported).toMatchObject({ code: 0, err: "" });
    expect(exported.out).toMatch(/^exported 3 files \(1\.5 kB\) from the cache in \d+\.\d+s\n$/);
  });

  it("reports a missing seed source as an empty seed", async () => {
    const r = await run("seed", path.join(root, "none"), path.join(root, "cache"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/does not exist: empty seed recorded/);
  });

  it("reports failures in one line on stderr, exit 1, no stack trace", async () => {
    vi.stubEnv("CACHEFRONT_DEBUG", "");
    const r = await run("export", path.join(root, "missing"), path.join(root, "out"));
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`cache-copier export: cache directory ${path.join(root, "missing")} does not exist\n`);

    const file = path.join(root, "file");
    writeFileSync(file, "x");
    const s = await run("seed", file, path.join(root, "cache"));
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/^cache-copier seed: seed source .* is not a directory\n$/);
  });

  it("adds the stack trace with CACHEFRONT_DEBUG", async () => {
    vi.stubEnv("CACHEFRONT_DEBUG", "1");
    mkdirSync(path.join(root, "cache"));
    const r = await run("export", path.join(root, "missing"), path.join(root, "out"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist\n.*\n\s+at /s);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1500, "1.5 kB"],
    [312_000_000, "312 MB"],
    [4_200_000_000, "4.2 GB"],
  ])("%d → %s", (n, text) => expect(formatBytes(n)).toBe(text));
});
