import { describe, expect, it } from "vitest";
import { GitRefError, parseGitRef } from "./git-ref.ts";

const git = (s: string) => {
  const r = parseGitRef(s);
  if (r.kind !== "git") throw new Error(`${s} is not git`);
  return r.ref;
};

describe("parseGitRef", () => {
  it("accepts https URLs ending in .git, with ref and subdir", () => {
    expect(git("https://github.com/moby/buildkit.git#v0.13.0:frontend")).toMatchObject({
      remote: "https://github.com/moby/buildkit.git",
      hostPath: "github.com/moby/buildkit.git",
      scheme: "https",
      ref: "v0.13.0",
      subdir: "frontend",
    });
  });

  it("treats an http(s) URL without .git as not git", () => {
    expect(parseGitRef("https://example.com/archive.tar.gz").kind).toBe("not-git");
    expect(parseGitRef("https://example.com/repo").kind).toBe("not-git");
  });

  it("accepts git://, ssh:// and scp-like references", () => {
    expect(git("git://host/x/y")).toMatchObject({ scheme: "git", hostPath: "host/x/y", remote: "git://host/x/y" });
    expect(git("ssh://git@host:2222/x.git#main")).toMatchObject({ scheme: "ssh", hostPath: "host:2222/x.git", ref: "main" });
    expect(git("git@github.com:moby/buildkit.git#main:docs")).toMatchObject({
      scheme: "ssh",
      remote: "git@github.com:moby/buildkit.git",
      hostPath: "github.com/moby/buildkit.git",
      ref: "main",
      subdir: "docs",
    });
  });

  it("marks the deprecated bare github.com form", () => {
    expect(git("github.com/moby/buildkit")).toMatchObject({ indistinguishableFromLocal: true, remote: "github.com/moby/buildkit" });
  });

  it("leaves local paths and other schemes alone", () => {
    for (const s of ["./repo.git", "../x.git", "dir/file", "ftp://host/x.git", "file.txt"]) expect(parseGitRef(s).kind, s).toBe("not-git");
  });

  it("reads the query keys", () => {
    expect(git("https://h/r.git?tag=v1&subdir=docs&keep-git-dir&submodules=false")).toMatchObject({
      ref: "refs/tags/v1",
      subdir: "docs",
      keepGitDir: true,
      submodules: false,
    });
    expect(git("https://h/r.git?branch=dev")).toMatchObject({ ref: "refs/heads/dev" });
    expect(git("https://h/r.git?commit=abc")).toMatchObject({ ref: "abc", checksum: "abc" });
  });

  it("rejects malformed queries and fragments", () => {
    expect(() => parseGitRef("https://h/r.git?tag=a&branch=b")).toThrow(new GitRefError("branch conflicts with tag"));
    expect(() => parseGitRef("https://h/r.git?nope=1")).toThrow('unexpected query "nope"');
    expect(() => parseGitRef("https://h/r.git?ref=")).toThrow('query "ref" has no value');
    expect(() => parseGitRef("https://h/r.git#a?ref=b")).not.toThrow();
    expect(() => parseGitRef("https://h/r.git?keep-git-dir=maybe")).toThrow("invalid keep-git-dir value");
    expect(() => parseGitRef("https://h/r.git##ref=a,bogus=1")).toThrow("unexpected key 'bogus'");
  });

  it("reads the CSV fragment form", () => {
    expect(git("https://h/r.git##ref=main,subdir=a/b,commit=123")).toMatchObject({ ref: "main", subdir: "a/b", checksum: "123" });
  });
});
