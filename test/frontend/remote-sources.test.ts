/** Git and HTTP sources: ADD of a git URL or a URL, git/http named contexts, and the caps they need. */
import { describe, expect, it } from "vitest";
import { BUILDKIT_V024_LLB_CAPS } from "../fake-bridge/index.ts";
import { sourceOps } from "../fake-bridge/llb-inspect.ts";
import { build, errorSource, finalOps, names } from "./helpers.ts";

const gitSources = (run: Awaited<ReturnType<typeof build>>) => sourceOps(finalOps(run), "git://").map((o) => o.source);
const without = (...caps: string[]) => BUILDKIT_V024_LLB_CAPS.filter((c) => !caps.includes(c));

describe("ADD of a git repository", () => {
  it("becomes a git source copied from its root, named like the step", async () => {
    const run = await build({ dockerfile: "FROM busybox\nADD https://example.com/org/repo.git#v1.2:sub/dir /src/\n" });
    expect(run.error).toBeUndefined();
    const [src] = gitSources(run);
    expect(src?.identifier).toBe("git://example.com/org/repo.git#v1.2:sub/dir");
    expect(src?.attrs).toEqual({
      "git.fullurl": "https://example.com/org/repo.git",
      "git.authtokensecret": "GIT_AUTH_TOKEN",
      "git.authheadersecret": "GIT_AUTH_HEADER",
    });
    expect(names(finalOps(run))).toContain("[2/2] ADD https://example.com/org/repo.git#v1.2:sub/dir /src/");
    const fileOp = finalOps(run).find((o) => o.op.op.case === "file")!;
    if (fileOp.op.op.case !== "file") throw new Error();
    const action = fileOp.op.op.value.actions[0]!.action;
    expect(action.case === "copy" && action.value.src).toBe("/");
  });

  it("keeps .git with --keep-git-dir or ?keep-git-dir, and refuses both disagreeing", async () => {
    const flag = await build({ dockerfile: "FROM busybox\nADD --keep-git-dir git@example.com:org/repo.git /src\n" });
    expect(flag.error).toBeUndefined();
    expect(gitSources(flag)[0]).toMatchObject({ identifier: "git://example.com/org/repo.git", attrs: expect.objectContaining({ "git.keepgitdir": "true", "git.mountsshsock": "default" }) });
    const query = await build({ dockerfile: "FROM busybox\nADD https://example.com/r.git?keep-git-dir=true /src\n" });
    expect(gitSources(query)[0]?.attrs["git.keepgitdir"]).toBe("true");
    const clash = await build({ dockerfile: "FROM busybox\nADD --keep-git-dir=false https://example.com/r.git?keep-git-dir=true /src\n" });
    expect(clash.error?.message).toContain("inconsistent keep-git-dir configuration");
    expect(errorSource(clash)?.ranges[0]?.start.line).toBe(2);
  });

  it("pins a commit with --checksum, and checks it against the URL's", async () => {
    const run = await build({ dockerfile: "FROM busybox\nADD --checksum=0123abcd https://example.com/r.git /src\n" });
    expect(run.error).toBeUndefined();
    expect(gitSources(run)[0]?.attrs["git.checksum"]).toBe("0123abcd");
    const mismatch = await build({ dockerfile: "FROM busybox\nADD --checksum=aaaa https://example.com/r.git?commit=bbbb /src\n" });
    expect(mismatch.error?.message).toContain('checksum mismatch "aaaa" != "bbbb"');
  });

  it("fails clearly where the engine lacks a git feature (0.13 has no git checksum)", async () => {
    const run = await build({ dockerfile: "FROM busybox\nADD --checksum=0123abcd https://example.com/r.git /src\n", extra: { llbCaps: without("source.git.checksum") } });
    expect(run.error?.message).toContain('ADD --checksum of a git repository is not supported by this BuildKit engine (it lacks the LLB capability "source.git.checksum")');
    expect(errorSource(run)?.ranges[0]?.start.line).toBe(2);
  });

  it("is not allowed for COPY", async () => {
    const run = await build({ dockerfile: "FROM busybox\nCOPY https://example.com/r.git /src\n" });
    expect(run.error?.message).toContain("source can't be a git ref for COPY");
  });
});

describe("ADD --checksum rules", () => {
  it("needs a single HTTP or git source", async () => {
    const many = await build({ dockerfile: "FROM busybox\nADD --checksum=sha256:00 https://a/x https://a/y /d/\n" });
    expect(many.error?.message).toContain("checksum can't be specified for multiple sources");
    const local = await build({ dockerfile: "FROM busybox\nADD --checksum=sha256:00 file.txt /d/\n", context: { "file.txt": "x" } });
    expect(local.error?.message).toContain("checksum requires HTTP(S) or Git sources");
  });

  it("puts the (expanded) checksum on the HTTP source", async () => {
    const run = await build({ dockerfile: `FROM busybox\nARG SUM=sha256:${"ab".repeat(32)}\nADD --checksum=$SUM https://example.com/f.tgz /d/\n` });
    expect(run.error).toBeUndefined();
    const http = sourceOps(finalOps(run), "https://")[0]!.source;
    expect(http.attrs).toMatchObject({ "http.checksum": `sha256:${"ab".repeat(32)}`, "http.filename": "f.tgz" });
  });
});

describe("git and URL named contexts", () => {
  it("loads a git context for COPY --from", async () => {
    const run = await build({ dockerfile: "FROM busybox\nCOPY --from=lib /README /lib/\n", opts: { "context:lib": "https://example.com/org/lib.git#main" } });
    expect(run.error).toBeUndefined();
    expect(gitSources(run)[0]?.identifier).toBe("git://example.com/org/lib.git#main");
    expect(names(finalOps(run))).toContain("[internal] load git source https://example.com/org/lib.git#main");
  });

  it("loads a plain URL as one file named context", async () => {
    const run = await build({ dockerfile: "FROM busybox\nCOPY --from=blob /context /blob\n", opts: { "context:blob": "https://example.com/data.bin" } });
    expect(run.error).toBeUndefined();
    const http = sourceOps(finalOps(run), "https://")[0]!.source;
    expect(http).toMatchObject({ identifier: "https://example.com/data.bin", attrs: { "http.filename": "context" } });
    expect(names(finalOps(run))).toContain("[context blob] https://example.com/data.bin");
  });

  it("accepts git@ references", async () => {
    const run = await build({ dockerfile: "FROM lib\n", opts: { "context:lib": "git@example.com:org/lib.git" } });
    expect(run.error).toBeUndefined();
    expect(gitSources(run)[0]?.attrs["git.mountsshsock"]).toBe("default");
  });
});
