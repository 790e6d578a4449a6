// Remote sources for tests, on loopback (the engine's git and HTTP sources run
// in the daemon's own network namespace, which is the host's): a `git daemon`
// serving bare repositories made from file maps, and a static HTTP server.
// Both die with the test process.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RemoteFixtures {
  /** `git://127.0.0.1:<port>/<name>.git` */
  gitUrl(name: string): string;
  /** `http://127.0.0.1:<port>/<path>` */
  httpUrl(p: string): string;
  close(): void;
}

export interface RepoSpec {
  /** Commits in order; each maps paths to content. Branches/tags name the last commit. */
  commits: Record<string, string>[];
  branches?: string[];
  tags?: string[];
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=test", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z", GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z" },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

function makeRepo(root: string, name: string, spec: RepoSpec): void {
  const work = path.join(root, "work", name);
  mkdirSync(work, { recursive: true });
  git(work, "init", "-q");
  for (const [i, files] of spec.commits.entries()) {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
      writeFileSync(path.join(work, rel), content);
    }
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", `commit ${i}`);
  }
  for (const b of spec.branches ?? []) git(work, "branch", b);
  for (const t of spec.tags ?? []) git(work, "tag", t);
  git(root, "clone", "-q", "--bare", work, path.join(root, "repos", `${name}.git`));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Starts both servers with the given repositories and files. */
export async function startRemoteFixtures(repos: Record<string, RepoSpec>, files: Record<string, string | Buffer>): Promise<RemoteFixtures> {
  const root = mkdtempSync(path.join(tmpdir(), "cachefront-remote-"));
  mkdirSync(path.join(root, "repos"), { recursive: true });
  for (const [name, spec] of Object.entries(repos)) makeRepo(root, name, spec);

  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(/^\//, "");
    const body = files[p];
    if (body === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    // A fixed Last-Modified keeps the downloaded file's mtime (and so the layer) stable.
    res.writeHead(200, { "Content-Length": Buffer.byteLength(body), "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const httpPort = (server.address() as AddressInfo).port;

  const gitPort = await freePort();
  const daemon: ChildProcess = spawn("git", ["daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1", `--port=${gitPort}`, `--base-path=${path.join(root, "repos")}`, path.join(root, "repos")], {
    stdio: "ignore",
    // Its own process group: `git daemon` runs git-daemon as a child, which killing `git` alone would orphan.
    detached: true,
  });
  daemon.unref();
  // Wait until the daemon answers.
  for (let i = 0; ; i++) {
    const r = spawnSync("git", ["ls-remote", `git://127.0.0.1:${gitPort}/${Object.keys(repos)[0]}.git`], { encoding: "utf8" });
    if (r.status === 0 || Object.keys(repos).length === 0) break;
    if (i > 50) throw new Error(`git daemon did not start: ${r.stderr}`);
    await new Promise((r2) => setTimeout(r2, 100));
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      if (daemon.pid !== undefined) process.kill(-daemon.pid, "SIGTERM");
    } catch {
      // already gone
    }
    server.close();
    rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", close);
  return {
    gitUrl: (name) => `git://127.0.0.1:${gitPort}/${name}.git`,
    httpUrl: (p) => `http://127.0.0.1:${httpPort}/${p}`,
    close,
  };
}
