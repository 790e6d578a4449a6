// Remote sources: ADD of URLs and git repositories, git and URL named
// contexts, and git/URL build contexts, served on loopback by a git daemon
// and an HTTP server that this module starts; the suite stops them in its
// afterAll (closeRemoteFixtures), as a test worker may be killed before exit handlers run.
import { gzipSync } from "node:zlib";
import { startRemoteFixtures } from "../../harness/remote-fixtures.ts";
import { renameHistory, tarOf, type Scenario } from "../scenario.ts";

const contextDockerfile = "FROM busybox\nCOPY . /ctx/\nRUN ls -R /ctx > /listing\n";

const remote = await startRemoteFixtures(
  {
    app: {
      commits: [
        { "README.md": "v1\n", "src/main.txt": "main v1\n" },
        { "README.md": "v2\n", "src/main.txt": "main v2\n", "src/extra/x.txt": "x\n", "docs/guide.md": "guide\n" },
      ],
      branches: ["release"],
      tags: ["v2.0"],
    },
    ctx: { commits: [{ Dockerfile: contextDockerfile, "app/a.txt": "a\n", "app/Dockerfile": "FROM busybox\nCOPY a.txt /sub/\n" }] },
  },
  {
    "file.txt": "downloaded\n",
    "archive.tar.gz": gzipSync(tarOf({ "in/archive.txt": "inside\n" })),
    "dir/": "index\n",
    "ctx.tar.gz": gzipSync(tarOf({ Dockerfile: "FROM busybox\nCOPY hello.txt /\n", "hello.txt": "hello from a tarball\n" })),
    "Dockerfile.remote": "FROM busybox\nRUN echo from a remote Dockerfile > /remote\n",
  },
);

/** Stops the git daemon and the HTTP server. */
export function closeRemoteFixtures(): void {
  remote.close();
}

const sha256 = "sha256:" + (await import("node:crypto")).createHash("sha256").update("downloaded\n").digest("hex");

export const REMOTE: Scenario[] = [
  {
    name: "ADD of a URL keeps the file as downloaded (not unpacked)",
    dockerfile: `FROM busybox\nADD ${remote.httpUrl("file.txt")} /d/\nADD ${remote.httpUrl("archive.tar.gz")} /d/\nADD ${remote.httpUrl("file.txt")} /renamed.txt\n`,
  },
  {
    name: "ADD of a URL with --chown and --chmod",
    dockerfile: `FROM busybox\nADD --chown=app:nobody --chmod=640 ${remote.httpUrl("file.txt")} /d/\n`,
  },
  {
    // 0.13 knows --checksum only in the labs channel; the result is the same file.
    name: "ADD --checksum of a URL",
    dockerfile: `FROM busybox\nADD --checksum=${sha256} ${remote.httpUrl("file.txt")} /d/\n`,
    builtinDockerfile: `FROM busybox\nADD ${remote.httpUrl("file.txt")} /d/\n`,
  },
  {
    name: "ADD --checksum of a URL that does not match fails on its line",
    dockerfile: `FROM busybox\nRUN true\nADD --checksum=sha256:${"0".repeat(64)} ${remote.httpUrl("file.txt")} /d/\n`,
    fails: { line: 3, message: "digest mismatch", builtinUnlocated: true },
  },
  {
    name: "ADD of a git repository at its default branch",
    dockerfile: `FROM busybox\nADD ${remote.gitUrl("app")} /src/\n`,
  },
  {
    name: "ADD of a git repository at a tag, a branch and a subdirectory",
    dockerfile: `FROM busybox\nADD ${remote.gitUrl("app")}#v2.0 /tag/\nADD ${remote.gitUrl("app")}#release:src /branch-src/\n`,
  },
  {
    name: "ADD --keep-git-dir keeps .git",
    // .git holds checkout times; the scenario records only that it is there.
    dockerfile: `FROM busybox\nADD --keep-git-dir=true ${remote.gitUrl("app")} /src/\nRUN cat /src/.git/HEAD > /head && rm -rf /src/.git\n`,
  },
  {
    name: "ADD --chown of a git repository",
    dockerfile: `FROM busybox\nADD --chown=1000:1000 ${remote.gitUrl("app")}#main:docs /docs/\n`,
  },
  {
    name: "a git named context in FROM, COPY --from and RUN --mount",
    dockerfile: "FROM lib AS copy\n\nFROM busybox\nCOPY --from=lib /src /from-lib/\nRUN --mount=from=lib,target=/lib cat /lib/README.md > /readme\n",
    args: ["--build-context", `lib=${remote.gitUrl("app")}#release`],
  },
  {
    // 0.13 names the downloaded file after the URL; today's frontend calls it `context`.
    name: "a URL named context is one file called context",
    dockerfile: "FROM busybox\nCOPY --from=blob /context /blob.txt\n",
    builtinDockerfile: "FROM busybox\nCOPY --from=blob /file.txt /blob.txt\n",
    adjust: renameHistory({ "COPY /file.txt /blob.txt # buildkit": "COPY /context /blob.txt # buildkit" }),
    args: ["--build-context", `blob=${remote.httpUrl("file.txt")}`],
  },
  {
    name: "a git build context",
    dockerfile: "",
    context: remote.gitUrl("ctx"),
  },
  {
    name: "a git build context with a subdirectory",
    dockerfile: "",
    context: `${remote.gitUrl("ctx")}#main:app`,
  },
  {
    name: "a tarball build context",
    dockerfile: "",
    context: remote.httpUrl("ctx.tar.gz"),
  },
  {
    name: "a plain-file URL build context is the Dockerfile",
    dockerfile: "",
    context: remote.httpUrl("Dockerfile.remote"),
  },
];
