/**
 * A deterministic generator of broken Dockerfiles. Each mutant is a seed
 * Dockerfile (test/mutants/seeds.ts) with one kind of damage applied:
 * truncations, bad flags, bad quoting, bad heredocs, wrong JSON, missing
 * arguments, unknown instructions, instructions before FROM, empty files,
 * misplaced directives, missing stages, hostile paths, out-of-range numbers,
 * bad base image configs, byte garbage and line shuffles. The same seed number and seed files always give the same mutants,
 * so a failure seen once can be replayed (`mutants[i].id` names it).
 *
 * Some mutants are still valid Dockerfiles (a flag the damage happened to
 * keep legal, a hostile path that is cleaned, a truncation at a line end):
 * the test counts those rather than assuming every mutant is broken.
 */
import { STUB_IMAGE } from "../in-process.ts";
import type { Seed } from "./seeds.ts";

export interface Mutant {
  /** `<category>-<n>`, unique and stable for a given generator seed. */
  id: string;
  category: Category;
  /** The seed file it was made from ("" for files made from nothing). */
  seed: string;
  /** What was done, for failure reports. */
  note: string;
  data: Uint8Array;
  /** For bad-base-image mutants: the config JSON every image resolves to (else the stub image's). */
  imageConfig?: Uint8Array;
}

/** A small, fast, well-distributed 32-bit PRNG (mulberry32): the generator must not depend on Math.random. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

// ---------------------------------------------------------------------------
// A rough line model of a seed: which lines start instructions (so that a new
// line can go before them without landing inside a continuation or a heredoc
// body). Rough on purpose: it only steers where damage goes.

interface Line {
  text: string;
  /** Upper-cased keyword when the line starts an instruction. */
  keyword?: string;
}

const KEYWORDS = new Set([
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
  "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]);

function scan(text: string): Line[] {
  const escape = /^#\s*escape\s*=\s*`/im.test(text.slice(0, 200)) ? "`" : "\\";
  const out: Line[] = [];
  let continued = false;
  const pendingHeredocs: { name: string; chomp: boolean }[] = [];
  for (const text_ of text.split("\n")) {
    const line = text_.replace(/\r$/, "");
    const entry: Line = { text: text_ };
    out.push(entry);
    if (pendingHeredocs.length > 0) {
      const h = pendingHeredocs[0]!;
      if ((h.chomp ? line.replace(/^\t+/, "") : line) === h.name) pendingHeredocs.shift();
      continue;
    }
    if (/^\s*(#|$)/.test(line)) continue;
    if (!continued) {
      const kw = /^\s*([A-Za-z]+)(\s|$)/.exec(line)?.[1]?.toUpperCase();
      if (kw && KEYWORDS.has(kw)) entry.keyword = kw;
    }
    for (const m of line.matchAll(/<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g)) pendingHeredocs.push({ name: m[3]!, chomp: m[1] === "-" });
    continued = line.trimEnd().endsWith(escape);
  }
  return out;
}

const join = (lines: readonly Line[]) => lines.map((l) => l.text).join("\n");
const indexes = (lines: readonly Line[], test: (l: Line) => boolean) => lines.flatMap((l, i) => (test(l) ? [i] : []));
const firstFrom = (lines: readonly Line[]) => lines.findIndex((l) => l.keyword === "FROM");

/** Inserts `text` as a new line before line `at`. */
function insertLine(lines: readonly Line[], at: number, text: string): string {
  return join([...lines.slice(0, at), { text }, ...lines.slice(at)]);
}

/** A place inside a stage where a new instruction can start: before an instruction after the first FROM, or at the end. */
function stagePosition(rng: Rng, lines: readonly Line[]): number | undefined {
  const from = firstFrom(lines);
  if (from < 0) return undefined;
  const spots = [...indexes(lines, (l) => l.keyword !== undefined).filter((i) => i > from), lines.length];
  return pick(rng, spots);
}

/** Puts `token` right after the keyword of line `i` (`RUN x` → `RUN <token> x`). */
function afterKeyword(lines: readonly Line[], i: number, token: string): string {
  const copy = lines.slice();
  copy[i] = { text: copy[i]!.text.replace(/^(\s*[A-Za-z]+)(\s+|$)/, `$1 ${token}$2`) };
  return join(copy);
}

/** Replaces the arguments of line `i` (continuation lines that followed are left behind, which is fine damage too). */
function replaceArgs(lines: readonly Line[], i: number, args: string): string {
  const copy = lines.slice();
  copy[i] = { text: copy[i]!.text.replace(/^(\s*[A-Za-z]+).*$/, args === "" ? "$1" : `$1 ${args}`) };
  return join(copy);
}

// ---------------------------------------------------------------------------
// Mutations: each returns the damaged file and a note, or undefined when the
// seed has nothing it applies to (the generator then tries another seed).

type Result = { data: string | Uint8Array; note: string; imageConfig?: string } | undefined;
type Mutation = (rng: Rng, text: string, lines: Line[]) => Result;

const enc = new TextEncoder();

const FLAGS: Record<string, readonly string[]> = {
  RUN: [
    "--nope", "--mount=type=bogus", "--mount=type=bogus,target=/x", "--mount", "--mount=", "--mount=type=cache",
    "--mount=type=cache,sharing=weird,target=/c", "--mount=type=cache,target=/c,mode=99999999999", "--mount=type=cache,target=/c,uid=abc",
    "--mount=type=secret,id=s,required=maybe", "--mount=type=tmpfs,target=/t,size=lots", "--mount=type=bind,source", "--mount=,,,",
    "--mount=type=bind,target=/x,readonly=perhaps", "--mount=target", "--mount=type=cache,target=", "--network=x", "--network",
    "--security=bogus", "--cache-ttl=abc", "--cache-ttl=-5h", "--cache-ttl=", "--cache-ttl=1h --cache-ttl=2h", "--device=", "-x", "--",
    "--mount=type=cache,target=/c,from=", "--mount=type=ssh,id=", "--mount=type=cache,id=a,target=/c,id=b",
    "--mount=type=tmpfs,target=/t,size=99999999999999999999999", "--mount=type=cache,target=/c,uid=4294967296", "--cache-ttl=99999999999999999999h",
  ],
  COPY: ["--chmod=999", "--chmod=abc", "--chmod=", "--chown=", "--chown=:", "--from=", "--link=maybe", "--parents=x", "--exclude", "--nope", "--chown=a:b:c", "--checksum=sha256:abc", "--chown=99999999999999999999", "--chmod=77777777777"],
  ADD: ["--chmod=999", "--checksum=bad", "--checksum=sha256:zz", "--keep-git-dir=nope", "--unpack=x", "--link=2", "--nope", "--chown", "--from=x"],
  FROM: ["--platform=", "--platform=linux/bogus/x/y", "--platform=$NOPE", "--platform=windows", "--nope", "--platform", "--platform=linux/amd64 --platform=linux/arm64"],
  HEALTHCHECK: ["--interval=abc", "--retries=x", "--timeout=-1s", "--start-period=1", "--start-interval=", "--interval=1ms", "--retries=-3"],
  OTHER: ["--nope", "--x=1", "--", "-"],
};

const QUOTING = [
  '"unterminated', "'unterminated", "${unterminated", "${a:?}", "${NOPE_MUTANT:?must be set}", "${a:bogus}", "${}", "${a/b/c}", "$", "\\",
  '\\"', '"${a', '${a:-"x}', "${a:-${b}", "'a\"b", '"a\'b', "${:}", "${a-}", "${#a}", "${a%%b}", "${a:0:1}", "\\$", "a\\", '""', "''",
];

const QUOTING_LINES = [
  'ENV A="b', "ENV A='b", "LABEL \"k=v", 'WORKDIR ${X', "COPY \"a b /", "ARG X=${", 'USER "root', "EXPOSE ${P:?port}", "ENV ${=x",
  "ENV A=${B:?B is required}", 'ENV =x', "LABEL =", "WORKDIR ${A:+${B}", "STOPSIGNAL ${SIG", "VOLUME [\"/a\", \"${b\"]", 'COPY a b "c',
];

const HEREDOC_LINES = [
  "RUN <<EOF\necho no terminator", "RUN <<\necho x", 'RUN <<""\nx\n', "RUN <<'EOF\nx\nEOF", 'RUN <<"EOF\nx\nEOF', "COPY <<EOF\ncontent\nEOF",
  "ENV <<EOF\nA=b\nEOF", "WORKDIR <<EOF\n/x\nEOF", "LABEL <<EOF\na=b\nEOF", "CMD <<EOF\necho\nEOF", "USER <<EOF", "COPY a <<EOF\nx\nEOF",
  "RUN <<A <<B\na\nA", "RUN 3<<EOF\nx\nEOF", "COPY <<EOF /x\n${unterminated\nEOF", "RUN <<-EOF\n\t\tx\n\tEOF", "RUN <<EOF", "ADD <<EOF\nx\nEOF",
  "RUN <<$X\nx\n$X", "RUN <<-\nx", "ONBUILD RUN <<EOF\nx\nEOF", "ONBUILD RUN <<EOF", "COPY <<EOF <<EOF /x\na\nEOF\nb\nEOF", "RUN <<EOF\r\nx\r\nEOF",
];

const JSON_LINES = [
  'CMD ["a",', "CMD [1,2]", "CMD {}", "ENTRYPOINT []", 'SHELL ["a",', "SHELL sh -c", "SHELL []", "SHELL [1]", 'RUN ["a", 1]', 'COPY ["a",',
  'COPY ["a"]', 'VOLUME ["/a",', "VOLUME [1]", "HEALTHCHECK CMD [1]", 'CMD ["a" "b"]', 'CMD ["a",]', "CMD [null]", 'ADD ["a", "b"', "CMD ['a']",
  'ENTRYPOINT ["\\u00"]', 'CMD ["\\x41"]', "CMD [", "CMD ]", 'CMD [""]', 'HEALTHCHECK CMD ["a",', 'RUN [ "a" ] extra', "SHELL {}", 'EXPOSE ["80"]',
];

const MISSING_ARGS = [
  "COPY", "COPY a", "ADD", "ADD x", "FROM", "ENV", "ENV A", "LABEL", "WORKDIR", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "HEALTHCHECK",
  "HEALTHCHECK CMD", "HEALTHCHECK NONE extra", "HEALTHCHECK BOGUS x", "ONBUILD", "ARG", "SHELL", "MAINTAINER", "RUN", "CMD", "ENTRYPOINT",
  "FROM AS x", "FROM a AS", "FROM a b c", "FROM a AS b c", "ONBUILD FROM x", "ONBUILD ONBUILD RUN x", "ONBUILD MAINTAINER x", "USER a b",
  "WORKDIR a b", "STOPSIGNAL a b", "ARG =x", "ARG A B=",
];

const UNKNOWN = ["FOO bar", "RUNN x", "COPPY a b", "123 abc", "-- x", "= x", "ÄÖÜ x", "FROM2 x", "IMPORT x", "INCLUDE ./other", "RUN\u00a0x", "ENV\u200bA=b"];

const BEFORE_FROM = ["RUN true", "COPY a /a", "ENV A=b", "WORKDIR /x", "CMD [\"sh\"]", "LABEL a=b", "USER root", "EXPOSE 80", "ONBUILD RUN x", "SHELL [\"sh\"]"];

/** Files with nothing to build, made of these pieces (whitespace, comments, directives, meta ARGs, stray escapes). */
const EMPTY_PIECES = [
  "", " ", "\t", "\r", "# just a comment", "#", "# syntax=docker/dockerfile:1", "# escape=`", "# check=skip=all", "ARG A=1", "ARG B",
  "ARG C=${A}", "\\", "\ufeff", "   # indented comment", "ARG D=1 E=2",
];
const EMPTY_BYTES: readonly Uint8Array[] = [new Uint8Array([0]), new Uint8Array([0xff, 0xfe, 0x00]), new Uint8Array([0x0a, 0x00, 0x0a])];

const DIRECTIVES = [
  "# escape=x", "# escape=\\\n# escape=`", "# syntax=a\n# syntax=b", "# check=skip=all;error=maybe", "# check=bogus", "#escape=", "# escape=``",
  "# check=error=true", "# syntax=", "# ESCAPE=`", "# escape = `", "#  syntax  =  docker/dockerfile:1",
];

const MISSING_STAGE = [
  "COPY --from=nostage /a /b", "COPY --from=99 / /", "RUN --mount=from=nostage,target=/x true", "RUN --mount=type=cache,from=nostage,target=/x true",
  "COPY --from=$X /a /b", "COPY --from=${STAGE:-x} /a /b", "RUN --mount=type=bind,from=99,target=/x true", "COPY --from=-1 /a /b", "COPY --from=0 / /",
  "COPY --from=:::: /a /b", "COPY --from=UPPER/Case:tag /a /b", "RUN --mount=from=,target=/x true",
];

const HOSTILE = [
  "COPY ../../etc/passwd /", "ADD ../../../x /", "COPY / /", "WORKDIR ../../..", "COPY --from=0 /../../.. /x", "ADD http://[::1 /x",
  "ADD file:///etc/passwd /", "COPY a\u0000b /", 'COPY "" /', 'WORKDIR ""', "COPY . /../..", "RUN --mount=type=bind,source=../..,target=/x true",
  "ADD git@github.com:x/y /z", "COPY --chown=root:root /etc/shadow /", `COPY ${"a/".repeat(2000)}b /`, "COPY * /", "COPY ** /", "COPY [ /",
  "ADD https://example.com/../../x /", "COPY --parents ../x /", "RUN --mount=type=cache,target=/ true", "VOLUME /../..", "WORKDIR /\u0000",
];

/** Numbers outside what a field can hold: they must be rejected at their line, not when the LLB is encoded. */
const OUT_OF_RANGE = [
  "EXPOSE 99999", "EXPOSE 1-99999999", "EXPOSE 0-65536", "EXPOSE 80/bogus", "EXPOSE 5000-4000", "EXPOSE 80/tcp/udp", "USER 99999999999999999999",
  "USER 4294967296:4294967296\nWORKDIR /made-by-a-big-uid", "COPY --chown=99999999999999999999:1 a.txt /", "COPY --chown=1:4294967296 a.txt /",
  "ADD --chown=2147483648 a.txt /", "COPY --chown=-1:-1 a.txt /", "RUN --mount=type=tmpfs,target=/t,size=99999999999999999999999 true",
  "RUN --mount=type=tmpfs,target=/t,size=9000p true", "RUN --mount=type=tmpfs,target=/t,size=1e3 true", "RUN --mount=type=cache,target=/c,uid=4294967296 true",
  "RUN --mount=type=cache,target=/c,mode=0o777 true", "RUN --mount=type=cache,target=/c,gid=99999999999 true", "RUN --mount=type=secret,id=s,uid=-1 true",
  "RUN --mount=type=ssh,mode=9999999999 true", "HEALTHCHECK --retries=99999999999999999999 CMD x", "HEALTHCHECK --interval=9999999999999h CMD x",
  "HEALTHCHECK --timeout=0.0000001ns CMD x", "HEALTHCHECK --start-period=-1s CMD x", "STOPSIGNAL 99999999999", "STOPSIGNAL -1",
  "COPY --chmod=77777777777 a.txt /", "COPY --chmod=-1 a.txt /", "ARG X=${Y:0:99999999999}", "FROM --platform=linux/amd64/v99 busybox",
  "RUN --cache-ttl=99999999999999999999h true", "RUN --cache-ttl=0s true", "RUN --cache-ttl=1e9h true", "RUN --cache-ttl=9223372036s true",
  "# org.mobyproject.buildkit.cache-ttl=99999999999999h\nRUN true", `ENV ${"A".repeat(70000)}=1`, `COPY ${"x ".repeat(40000)}/`,
];

/** Base image configs a registry (or a named context) could serve: wrong types, wrong JSON, hostile ONBUILD triggers. */
const withConfig = (c: object) => JSON.stringify({ ...STUB_IMAGE, config: { ...STUB_IMAGE.config, ...c } });
const withTop = (c: object) => JSON.stringify({ ...STUB_IMAGE, ...c });
const BAD_IMAGES = [
  "{", "", '"just a string"', "[]", "null", "42", withTop({ config: null }), withTop({ config: [] }), withTop({ os: 5, architecture: null }),
  withTop({ os: "windows" }), withTop({ architecture: "arm64", variant: "v99" }), withTop({ "os.features": "x" }), withTop({ os: "", architecture: "" }),
  withTop({ history: "x" }), withTop({ history: [1] }), withTop({ history: [{ empty_layer: "yes" }] }), withTop({ rootfs: null }), withTop({ rootfs: { diff_ids: "x" } }),
  withConfig({ OnBuild: "RUN x" }), withConfig({ OnBuild: [1] }), withConfig({ OnBuild: ["FROM x"] }), withConfig({ OnBuild: ["RUN <<EOF"] }),
  withConfig({ OnBuild: ["RUN --nope x"] }), withConfig({ OnBuild: [""] }), withConfig({ OnBuild: ["ONBUILD RUN x"] }), withConfig({ OnBuild: ["COPY --from=nostage / /"] }),
  withConfig({ OnBuild: ["RUN a", "RUN b\nRUN c"] }), withConfig({ OnBuild: ["WORKDIR ${NOPE:?unset}"] }), withConfig({ Env: "PATH=/x" }), withConfig({ Env: [1, null] }),
  withConfig({ Env: ["NOEQUALS", "=x", ""] }), withConfig({ WorkingDir: 5 }), withConfig({ WorkingDir: "relative/dir" }), withConfig({ User: {} }), withConfig({ User: "99999999999:1" }),
  withConfig({ Labels: "x" }), withConfig({ Labels: { a: 1 } }), withConfig({ ExposedPorts: ["80"] }), withConfig({ ExposedPorts: { "bogus/port": {} } }), withConfig({ Volumes: [1] }),
  withConfig({ Healthcheck: "y" }), withConfig({ Healthcheck: { Test: "CMD x", Retries: 1.5 } }), withConfig({ Healthcheck: { Test: [] } }), withConfig({ Shell: "sh" }),
  withConfig({ Shell: [] }), withConfig({ Cmd: "sh" }), withConfig({ Entrypoint: {} }), withConfig({ Env: null, User: null, Labels: null, Cmd: null }),
];

const GARBAGE = [0, 9, 10, 13, 32, 34, 35, 36, 39, 60, 91, 92, 93, 96, 123, 125, 0x80, 0xc3, 0xff];

const mutations = {
  truncation: [
    (rng, text) => {
      const bytes = enc.encode(text);
      const at = int(rng, bytes.length);
      return { data: bytes.slice(0, at), note: `cut at byte ${at}` };
    },
    (rng, _t, lines) => {
      const at = 1 + int(rng, Math.max(lines.length - 1, 1));
      return { data: join(lines.slice(0, at)), note: `first ${at} lines` };
    },
    (rng, _t, lines) => {
      // Cut right after a line that continues (a backslash or a heredoc opener): the worst place.
      const open = indexes(lines, (l) => /\\\s*$|`\s*$|<</.test(l.text));
      if (open.length === 0) return undefined;
      const at = pick(rng, open) + 1;
      return { data: join(lines.slice(0, at)), note: `cut after open line ${at}` };
    },
  ],
  "bad-flag": [
    (rng, _t, lines) => {
      const targets = indexes(lines, (l) => l.keyword !== undefined);
      if (targets.length === 0) return undefined;
      const i = pick(rng, targets);
      const flag = pick(rng, FLAGS[lines[i]!.keyword!] ?? FLAGS.OTHER!);
      return { data: afterKeyword(lines, i, flag), note: `line ${i + 1}: ${flag}` };
    },
  ],
  "bad-quoting": [
    (rng, _t, lines) => {
      const targets = indexes(lines, (l) => /^(ENV|ARG|LABEL|WORKDIR|COPY|ADD|USER|EXPOSE|FROM|VOLUME|STOPSIGNAL|ONBUILD)$/.test(l.keyword ?? ""));
      if (targets.length === 0) return undefined;
      const i = pick(rng, targets);
      const token = pick(rng, QUOTING);
      const copy = lines.slice();
      copy[i] = { text: `${copy[i]!.text.replace(/\s*\\?\s*$/, "")} ${token}` };
      return { data: join(copy), note: `line ${i + 1} += ${token}` };
    },
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, QUOTING_LINES);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${line}` };
    },
    (_rng, text) => ({ data: `${text.replace(/\n*$/, "")}\nRUN echo \\`, note: "stray backslash at the end" }),
  ],
  "bad-heredoc": [
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, HEREDOC_LINES);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${JSON.stringify(line)}` };
    },
    (rng, _t, lines) => {
      // Drop the terminator of an existing heredoc.
      const openers = indexes(lines, (l) => l.keyword !== undefined && /<<-?\s*["']?[A-Za-z_]/.test(l.text));
      if (openers.length === 0) return undefined;
      const i = pick(rng, openers);
      const name = /<<-?\s*["']?([A-Za-z_][\w.-]*)/.exec(lines[i]!.text)![1]!;
      const end = lines.findIndex((l, j) => j > i && l.text.replace(/^\t+/, "").replace(/\r$/, "") === name);
      if (end < 0) return undefined;
      return { data: join(lines.filter((_, j) => j !== end)), note: `removed terminator ${name} at ${end + 1}` };
    },
  ],
  "wrong-json": [
    (rng, _t, lines) => {
      const targets = indexes(lines, (l) => /^(CMD|ENTRYPOINT|RUN|SHELL|VOLUME)$/.test(l.keyword ?? "") && !/\\\s*$/.test(l.text));
      const line = pick(rng, JSON_LINES);
      if (targets.length === 0 || rng() < 0.5) {
        const at = stagePosition(rng, lines);
        if (at === undefined) return undefined;
        return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${line}` };
      }
      const i = pick(rng, targets);
      const args = line.replace(/^\S+\s*/, "");
      return { data: replaceArgs(lines, i, args), note: `line ${i + 1} args := ${args}` };
    },
  ],
  "missing-args": [
    (rng, _t, lines) => {
      const targets = indexes(lines, (l) => l.keyword !== undefined && !/\\\s*$|<</.test(l.text));
      if (targets.length === 0) return undefined;
      const i = pick(rng, targets);
      return { data: replaceArgs(lines, i, ""), note: `line ${i + 1} without arguments` };
    },
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, MISSING_ARGS);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${line}` };
    },
  ],
  "unknown-instruction": [
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines) ?? 0;
      const line = pick(rng, UNKNOWN);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${line}` };
    },
    (rng, _t, lines) => {
      // A misspelled keyword: one letter dropped, doubled or swapped.
      const targets = indexes(lines, (l) => l.keyword !== undefined);
      if (targets.length === 0) return undefined;
      const i = pick(rng, targets);
      const kw = /^\s*([A-Za-z]+)/.exec(lines[i]!.text)![1]!;
      const p = int(rng, kw.length);
      const how = int(rng, 3);
      const bad = how === 0 ? kw.slice(0, p) + kw.slice(p + 1) : how === 1 ? kw.slice(0, p + 1) + kw.slice(p) : kw.slice(0, p) + "X" + kw.slice(p + 1);
      if (bad === "" || KEYWORDS.has(bad.toUpperCase())) return undefined;
      const copy = lines.slice();
      copy[i] = { text: copy[i]!.text.replace(kw, bad) };
      return { data: join(copy), note: `line ${i + 1}: ${kw} → ${bad}` };
    },
  ],
  "before-from": [
    (rng, _t, lines) => {
      const from = firstFrom(lines);
      if (from < 0) return undefined;
      const at = int(rng, from + 1);
      const line = pick(rng, BEFORE_FROM);
      return { data: insertLine(lines, at, line), note: `insert before FROM, at ${at + 1}: ${line}` };
    },
    (rng, _t, lines) => {
      // An instruction of a stage moved to the top of the file (single-line ones only).
      const from = firstFrom(lines);
      const movable = indexes(lines, (l) => l.keyword !== undefined && l.keyword !== "FROM" && l.keyword !== "ARG" && !/\\\s*$|`\s*$|<</.test(l.text));
      const i = movable.filter((j) => j > from);
      if (from < 0 || i.length === 0) return undefined;
      const j = pick(rng, i);
      return { data: join([lines[j]!, ...lines.filter((_, k) => k !== j)]), note: `line ${j + 1} moved to the top` };
    },
    (_rng, _t, lines) => {
      // No FROM at all: every FROM line becomes a comment.
      if (firstFrom(lines) < 0) return undefined;
      return { data: join(lines.map((l) => (l.keyword === "FROM" ? { text: `# ${l.text}` } : l))), note: "all FROM lines commented out" };
    },
  ],
  empty: [
    (rng) => {
      const parts = Array.from({ length: int(rng, 5) }, () => pick(rng, EMPTY_PIECES));
      const data = parts.join(rng() < 0.2 ? "\r\n" : "\n") + (rng() < 0.5 ? "\n" : "");
      return { data, note: `file ${JSON.stringify(data)}` };
    },
    (rng) => {
      const data = pick(rng, EMPTY_BYTES);
      return { data, note: `file of bytes ${[...data].join(" ")}` };
    },
  ],
  "misplaced-directive": [
    (rng, _t, lines) => {
      const d = pick(rng, DIRECTIVES);
      // At the top (where directives count), or between instructions (where they are comments).
      const at = rng() < 0.5 ? 0 : stagePosition(rng, lines) ?? 0;
      return { data: insertLine(lines, at, d), note: `insert at ${at + 1}: ${JSON.stringify(d)}` };
    },
  ],
  "missing-stage": [
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, MISSING_STAGE);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${line}` };
    },
    (rng, _t, lines) => {
      // A stage that copies from itself or from a later stage, or a duplicate stage name.
      const froms = indexes(lines, (l) => l.keyword === "FROM");
      if (froms.length === 0) return undefined;
      const i = pick(rng, froms);
      const copy = lines.slice();
      const how = int(rng, 3);
      if (how === 0) copy[i] = { text: "FROM busybox AS loop" };
      if (how === 1) copy[i] = { text: "FROM loop AS loop" };
      if (how === 2) copy.splice(i + 1, 0, { text: "COPY --from=later /a /a" }, { text: "FROM busybox AS later" });
      if (how === 0) copy.splice(i + 1, 0, { text: "FROM busybox AS loop" });
      return { data: join(copy), note: `line ${i + 1}: ${["duplicate stage", "self-referencing stage", "copy from a later stage"][how]}` };
    },
  ],
  "hostile-path": [
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, HOSTILE);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${JSON.stringify(line.slice(0, 60))}` };
    },
  ],
  "out-of-range": [
    (rng, _t, lines) => {
      const at = stagePosition(rng, lines);
      if (at === undefined) return undefined;
      const line = pick(rng, OUT_OF_RANGE);
      return { data: insertLine(lines, at, line), note: `insert at ${at + 1}: ${JSON.stringify(line.slice(0, 60))}` };
    },
  ],
  "bad-base-image": [
    (rng, text) => {
      // The Dockerfile is a seed as it is: the only damage is in what its images resolve to.
      const imageConfig = pick(rng, BAD_IMAGES);
      return { data: text, imageConfig, note: `images resolve to ${imageConfig.slice(0, 80)}` };
    },
  ],
  "byte-garbage": [
    (rng, text) => {
      const bytes = enc.encode(text);
      if (bytes.length === 0) return undefined;
      const n = 1 + int(rng, 4);
      const where: number[] = [];
      for (let k = 0; k < n; k++) {
        const at = int(rng, bytes.length);
        bytes[at] = pick(rng, GARBAGE);
        where.push(at);
      }
      return { data: bytes, note: `bytes changed at ${where.join(", ")}` };
    },
    (_rng, text) => ({ data: text.replace(/\n/g, "\r"), note: "old Mac line endings" }),
    (_rng, text) => ({ data: `\ufeff${text.replace(/\n/g, "\r\n")}`, note: "BOM and CRLF" }),
  ],
  "line-shuffle": [
    (rng, _t, lines) => {
      if (lines.length < 2) return undefined;
      const a = int(rng, lines.length);
      const b = int(rng, lines.length);
      const copy = lines.slice();
      [copy[a], copy[b]] = [copy[b]!, copy[a]!];
      return { data: join(copy), note: `swapped lines ${a + 1} and ${b + 1}` };
    },
    (rng, _t, lines) => {
      const a = int(rng, lines.length);
      return { data: join(lines.filter((_, i) => i !== a)), note: `deleted line ${a + 1}` };
    },
    (rng, _t, lines) => {
      const a = int(rng, lines.length);
      return { data: insertLine(lines, a, lines[a]!.text), note: `duplicated line ${a + 1}` };
    },
  ],
} satisfies Record<string, readonly Mutation[]>;

export type Category = keyof typeof mutations;
export const CATEGORIES = Object.keys(mutations) as Category[];

/**
 * `count` mutants, spread evenly over the categories (round robin) and over
 * the seeds (each picked at random). Deterministic in `seed` and `seeds`.
 */
export function generateMutants(seeds: readonly Seed[], count: number, seed = 20240611): Mutant[] {
  if (seeds.length === 0) throw new Error("generateMutants: no seed files");
  const rng = prng(seed);
  const scanned = seeds.map((s) => ({ seed: s, lines: scan(s.text) }));
  const out: Mutant[] = [];
  const perCategory = new Map<Category, number>();
  const seen = new Set<string>();
  for (let n = 0; n < count; n++) {
    const category = CATEGORIES[n % CATEGORIES.length]!;
    const variants: readonly Mutation[] = mutations[category];
    let made: Result;
    let from: (typeof scanned)[number] | undefined;
    // Not every seed offers what a mutation needs (a heredoc, a FROM): try others.
    // Identical mutants would only repeat a run: they are made again.
    let data: Uint8Array | undefined;
    for (let attempt = 0; attempt < 50 && !data; attempt++) {
      from = pick(rng, scanned);
      made = pick(rng, variants)(rng, from.seed.text, from.lines);
      const bytes = made && (typeof made.data === "string" ? enc.encode(made.data) : made.data);
      const key = bytes && `${made!.imageConfig ?? ""}\0${Buffer.from(bytes).toString("latin1")}`;
      if (key !== undefined && !seen.has(key)) {
        seen.add(key);
        data = bytes;
      }
    }
    // With only the built-in seeds a category can run out of new mutants: then a repeat is better than none.
    if (made && !data) data = typeof made.data === "string" ? enc.encode(made.data) : made.data;
    if (!made || !from || !data) throw new Error(`generateMutants: nothing to mutate for ${category}`);
    const k = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, k);
    out.push({
      id: `${category}-${k}`,
      category,
      seed: category === "empty" ? "" : from.seed.name,
      note: made.note,
      data,
      ...(made.imageConfig !== undefined && { imageConfig: enc.encode(made.imageConfig) }),
    });
  }
  return out;
}
