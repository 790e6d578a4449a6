// Proves the engine harness: the global setup's engine builds with the
// built-in Dockerfile frontend, from the local busybox base, and the harness
// reads back what the builds export.
import { afterAll, describe, expect, test } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  buildx,
  docker,
  readOciConfig,
  requireEngine,
  tmpContext,
  tmpDir,
  treeOf,
  treeOfTar,
  type TmpDir,
  type TreeEntry,
} from "./harness/index.ts";

describe("engine harness", () => {
  const cleanups: TmpDir[] = [];
  afterAll(async () => {
    await Promise.all(cleanups.map((t) => t.cleanup()));
  });
  const ctx = async (files: Parameters<typeof tmpContext>[0]) => {
    const t = await tmpContext(files);
    cleanups.push(t);
    return t.dir;
  };
  const out = async () => {
    const t = await tmpDir();
    cleanups.push(t);
    return t.dir;
  };

  test("RUN in FROM busybox exports /x to a local directory", async (t) => {
    requireEngine(t);
    const context = await ctx({ Dockerfile: "FROM busybox\nRUN echo hi > /x\n" });
    const dest = await out();
    const r = await buildx(["--output", `type=local,dest=${dest}`, context]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(dest, "x"), "utf8")).toBe("hi\n");
  });

  test("treeOf and treeOfTar list the same tree; the tar keeps owners", async (t) => {
    requireEngine(t);
    const context = await ctx({
      Dockerfile: [
        "FROM busybox",
        "RUN mkdir /out /out/d && echo data > /out/f && chmod 640 /out/f && chown app:app /out/f && ln -s f /out/l && chmod 1777 /out/d",
        "FROM scratch",
        "COPY --from=0 /out /",
        "",
      ].join("\n"),
    });
    const dest = await out();
    const tar = path.join(await out(), "fs.tar");
    for (const output of [`type=local,dest=${dest}`, `type=tar,dest=${tar}`]) {
      const r = await buildx(["--no-cache", "--output", output, context]);
      expect(r.code, r.stderr).toBe(0);
    }
    const fromTar = await treeOfTar(tar);
    expect(fromTar.map((e) => [e.path, e.type, e.mode.toString(8), e.uid, e.gid, e.size])).toEqual([
      ["d", "dir", "1777", 0, 0, 0],
      ["f", "file", "640", 1000, 1000, 5],
      ["l", "symlink", "777", 0, 0, 1],
    ]);
    expect(fromTar[2]!.target).toBe("f");
    // A local export loses ownership (files belong to whoever ran buildx) but
    // keeps everything else.
    const noOwner = (tree: TreeEntry[]) => tree.map(({ uid: _u, gid: _g, ...rest }) => rest);
    expect(noOwner(await treeOf(dest))).toEqual(noOwner(fromTar));
  });

  test("readOciConfig reads the image config of an OCI export", async (t) => {
    requireEngine(t);
    const context = await ctx({ Dockerfile: 'FROM busybox\nENV GREETING=hi\nLABEL org.example.k=v\nCMD ["echo"]\n' });
    const tar = path.join(await out(), "image.tar");
    const r = await buildx(["--output", `type=oci,dest=${tar}`, context]);
    expect(r.code, r.stderr).toBe(0);
    const config = await readOciConfig(tar);
    expect(config.os).toBe("linux");
    const info = await docker(["version", "--format", "{{.Server.Arch}}"]);
    expect(config.architecture).toBe(info.stdout.trim());
    expect(config.config?.Env).toContain("GREETING=hi");
    expect(config.config?.Labels?.["org.example.k"]).toBe("v");
    expect(config.config?.Cmd).toEqual(["echo"]);
    expect(config.rootfs.diff_ids.length).toBeGreaterThan(0);
  });
});
