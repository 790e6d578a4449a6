// COPY and ADD: sources, wildcards, destinations, owners, modes, archives,
// links, heredoc files, .dockerignore, --from.
import { gzipSync } from "node:zlib";
import { renameHistory, tarOf, type Scenario } from "../scenario.ts";

const files = {
  "a.txt": "a\n",
  "b.txt": "b\n",
  "c.md": "c\n",
  "dir/one.txt": "1\n",
  "dir/sub/two.txt": "2\n",
  "run.sh": { content: "#!/bin/sh\necho run\n", mode: 0o755 },
};

export const COPY_ADD: Scenario[] = [
  {
    name: "wildcards into a directory",
    files,
    dockerfile: "FROM busybox\nCOPY *.txt /dst/\nCOPY [\"?.md\", \"/md/\"]\n",
  },
  {
    name: "destination without a trailing slash is a file name",
    files,
    dockerfile: "FROM busybox\nCOPY a.txt /renamed\nCOPY a.txt /indir/\nCOPY b.txt /indir/b2.txt\n",
  },
  {
    name: "a directory copies its contents, keeping executable modes",
    files,
    dockerfile: "FROM busybox\nCOPY dir /out/\nCOPY dir/ /out2\nCOPY run.sh /bin/\n",
  },
  {
    name: "relative destinations follow WORKDIR",
    files,
    dockerfile: "FROM busybox\nWORKDIR /app/x\nCOPY a.txt .\nCOPY b.txt rel/\nCOPY c.md ../up.md\nWORKDIR sub\nCOPY dir ./\n",
  },
  {
    name: "--chown with numbers, names and a group, and --chmod octal",
    files,
    dockerfile:
      "FROM busybox\nCOPY --chown=1000 a.txt /o/num/\nCOPY --chown=app:nobody b.txt /o/names/\nCOPY --chown=1000:65534 dir /o/dir/\nCOPY --chmod=600 c.md /o/\nCOPY --chmod=0750 --chown=app dir /o/both/\n",
  },
  {
    name: "--chown through variables",
    files,
    dockerfile: "FROM busybox\nARG OWNER=app\nENV GROUP=nobody\nCOPY --chown=${OWNER}:$GROUP a.txt /o/\n",
  },
  {
    name: "ADD extracts local tar and tar.gz archives but copies other files as is",
    files: {
      "plain.tar": tarOf({ "p/one.txt": "one\n", "p/two.txt": "two\n" }),
      "zipped.tar.gz": gzipSync(tarOf({ "z/three.txt": "three\n" })),
      "not-an-archive.tar": "just text\n",
      "a.txt": "a\n",
    },
    dockerfile: "FROM busybox\nADD plain.tar /x/\nADD zipped.tar.gz /y\nADD not-an-archive.tar /z/\nADD a.txt /w/\n",
  },
  {
    name: "COPY does not extract archives",
    files: { "plain.tar": tarOf({ "p/one.txt": "one\n" }) },
    dockerfile: "FROM busybox\nCOPY plain.tar /x/\n",
  },
  {
    name: "ADD --chown applies to extracted files",
    files: { "plain.tar": tarOf({ "p/one.txt": "one\n" }) },
    dockerfile: "FROM busybox\nADD --chown=1000:1000 plain.tar /x/\n",
  },
  {
    name: ".dockerignore with negation and directories",
    files: {
      ...files,
      "logs/keep.log": "k\n",
      "logs/drop.log": "d\n",
      "secret/key": "s\n",
      ".dockerignore": "*.md\nlogs/*.log\n!logs/keep.log\nsecret\n",
    },
    dockerfile: "FROM busybox\nCOPY . /ctx/\n",
  },
  {
    name: "symlinks in the context: the link itself inside a directory, its target when named",
    files: { "real.txt": "real\n", "tree/link.txt": { symlink: "../real.txt" }, "tree/abs": { symlink: "/etc/passwd" }, "named": { symlink: "real.txt" } },
    dockerfile: "FROM busybox\nCOPY tree /tree/\nCOPY named /named-copy\n",
  },
  {
    name: "COPY --from a stage with wildcards and a directory",
    dockerfile:
      "FROM busybox AS src\nRUN mkdir -p /out/d && echo 1 > /out/x1.txt && echo 2 > /out/x2.txt && echo d > /out/d/f\n\nFROM busybox\nCOPY --from=src /out/x*.txt /picked/\nCOPY --from=src /out/d /d\n",
  },
  {
    name: "COPY --link with --chown and onto a WORKDIR",
    files,
    dockerfile: "FROM busybox\nWORKDIR /w\nCOPY --link --chown=1000:1000 a.txt b.txt ./\nCOPY --link dir /linked/\n",
  },
  {
    name: "several heredoc files in one COPY, with and without expansion",
    dockerfile: 'FROM busybox\nARG NAME=world\nCOPY <<one.txt <<"two.txt" /docs/\nhello ${NAME}\none.txt\nraw ${NAME}\ntwo.txt\n',
  },
  {
    name: "heredoc file with --chmod and --chown",
    dockerfile: "FROM busybox\nCOPY --chmod=755 --chown=app <<run.sh /usr/local/bin/\n#!/bin/sh\necho hi\nrun.sh\n",
  },
  {
    name: "a setuid file and an empty directory",
    files: { "suid": { content: "x\n", mode: 0o4755 }, "emptydir/.keep": "" },
    dockerfile: "FROM busybox\nCOPY suid /s/\nCOPY emptydir /e/\n",
  },
  {
    // Today's frontend sends a mode string, which 0.13's engine would ignore;
    // an absolute one is the same as an octal mode, so cachefront sends that.
    name: "--chmod in absolute symbolic form",
    files,
    dockerfile: "FROM busybox\nCOPY --chmod=u=rwx,g=rx,o= a.txt /o/\nCOPY --chmod=a=rx dir /o/d/\n",
    builtinDockerfile: "FROM busybox\nCOPY --chmod=750 a.txt /o/\nCOPY --chmod=555 dir /o/d/\n",
    adjust: renameHistory({
      "COPY --chmod=750 a.txt /o/ # buildkit": "COPY --chmod=u=rwx,g=rx,o= a.txt /o/ # buildkit",
      "COPY --chmod=555 dir /o/d/ # buildkit": "COPY --chmod=a=rx dir /o/d/ # buildkit",
    }),
  },
  {
    name: "a missing source fails on its line",
    files,
    dockerfile: "FROM busybox\nCOPY a.txt /a/\nCOPY missing.txt /m/\n",
    fails: { line: 3, message: "missing.txt" },
  },
  {
    // The classic builder rejects this; BuildKit creates the directory.
    name: "several sources into a destination without a trailing slash",
    files,
    dockerfile: "FROM busybox\nCOPY a.txt b.txt /notadir\n",
  },
  {
    name: "COPY --from an unknown stage or image fails on its line",
    dockerfile: "FROM busybox\nRUN true\nCOPY --from=nosuchstage /a /b\n",
    fails: { line: 3, message: "nosuchstage" },
  },
];
