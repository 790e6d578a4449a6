/**
 * Git references as the official frontend accepts them in ADD sources, named
 * contexts and the build context: `https://host/path.git[#ref[:subdir]]`,
 * `http://...git`, `git://...`, `ssh://...`, scp-like `user@host:path`, and
 * (build contexts only, deprecated) a bare `github.com/...`. The fragment is
 * `ref:subdir` or, with a second `#`, `ref=...,commit=...,subdir=...`; the
 * query may carry ref, tag, branch, subdir, checksum/commit, keep-git-dir and
 * submodules. An http(s) URL is git only when its path ends in `.git`.
 */
import { cleanPath } from "../llb/paths.ts";
export interface GitRef {
  /** The URL handed to git: the reference without fragment or query. */
  remote: string;
  /** `host/path` (path cleaned), the source identifier's body. */
  hostPath: string;
  scheme: "http" | "https" | "git" | "ssh";
  ref: string;
  subdir: string;
  checksum: string;
  keepGitDir?: boolean;
  submodules?: boolean;
  /** The deprecated bare `github.com/...` form, indistinguishable from a local path. */
  indistinguishableFromLocal: boolean;
}

export class GitRefError extends Error {}

export type GitRefParse = { kind: "git"; ref: GitRef } | { kind: "not-git" };

const PROTOCOL = /^([a-zA-Z0-9]+):\/\//;
const SCP_LIKE = /^(?:([^@/:\s]+)@)?([^@/:\s]+):(.+)$/;

/** Parses `src`; throws GitRefError for something that is git but malformed. */
export function parseGitRef(src: string): GitRefParse {
  if (src.startsWith("./") || src.startsWith("../")) return { kind: "not-git" };
  let deprecated = false;
  let text = src;
  if (src.startsWith("github.com/")) {
    deprecated = true;
    text = `https://${src}`;
  }
  const proto = PROTOCOL.exec(text);
  let scheme: GitRef["scheme"];
  let host: string;
  let pathPart: string;
  let userPart = "";
  let query = "";
  let fragment = "";
  const cut = (s: string) => {
    const hash = s.indexOf("#");
    if (hash >= 0) {
      fragment = s.slice(hash + 1);
      s = s.slice(0, hash);
    }
    const q = s.indexOf("?");
    if (q >= 0) {
      query = s.slice(q + 1);
      s = s.slice(0, q);
    }
    return s;
  };
  if (proto) {
    const p = proto[1]!.toLowerCase();
    if (p !== "http" && p !== "https" && p !== "git" && p !== "ssh") return { kind: "not-git" };
    scheme = p;
    const rest = cut(text.slice(proto[0].length));
    const slash = rest.indexOf("/");
    const authority = slash < 0 ? rest : rest.slice(0, slash);
    pathPart = slash < 0 ? "" : rest.slice(slash);
    const at = authority.lastIndexOf("@");
    userPart = at >= 0 ? authority.slice(0, at + 1) : "";
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (!deprecated && (scheme === "http" || scheme === "https") && !pathPart.endsWith(".git")) return { kind: "not-git" };
  } else {
    // scp-like: user@host:path (the user part is what makes it unambiguous).
    const body = cut(text);
    const m = SCP_LIKE.exec(body);
    if (!m || m[1] === undefined) return { kind: "not-git" };
    scheme = "ssh";
    userPart = `${m[1]}@`;
    host = m[2]!;
    pathPart = m[3]!;
  }

  const ref: GitRef = {
    remote: proto ? `${scheme}://${userPart}${host}${pathPart}` : `${userPart}${host}:${pathPart}`,
    hostPath: host + cleanPath(`/${pathPart}`),
    scheme,
    ref: "",
    subdir: "",
    checksum: "",
    indistinguishableFromLocal: deprecated,
  };
  if (deprecated) ref.remote = ref.remote.replace(/^https:\/\//, "");
  applyFragment(ref, fragment);
  applyQuery(ref, query);
  return { kind: "git", ref };
}

function applyFragment(ref: GitRef, fragment: string): void {
  if (fragment === "") return;
  if (fragment.startsWith("#")) {
    for (const field of fragment.slice(1).split(",").filter((f) => f !== "")) {
      const eq = field.indexOf("=");
      if (eq < 0) throw new GitRefError(`invalid field '${field}' must be a key=value pair`);
      const key = field.slice(0, eq).toLowerCase();
      const value = field.slice(eq + 1);
      if (key === "ref") ref.ref = value;
      else if (key === "commit") ref.checksum = value;
      else if (key === "subdir") ref.subdir = value;
      else throw new GitRefError(`unexpected key '${key}' in '${field}' (supported keys: ref, commit, subdir)`);
    }
    if (ref.checksum && !ref.ref) ref.ref = ref.checksum;
    return;
  }
  const colon = fragment.indexOf(":");
  ref.ref = colon < 0 ? fragment : fragment.slice(0, colon);
  ref.subdir = colon < 0 ? "" : fragment.slice(colon + 1);
}

function parseBoolValue(key: string, v: string | undefined): boolean {
  if (v === undefined || v === "") return true;
  if (/^(1|t|T|TRUE|true|True)$/.test(v)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(v)) return false;
  throw new GitRefError(`invalid ${key} value: ${JSON.stringify(v)}`);
}

function applyQuery(ref: GitRef, query: string): void {
  if (query === "") return;
  const seen = new Map<string, string | undefined>();
  for (const pair of query.split("&").filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? undefined : decodeURIComponent(pair.slice(eq + 1));
    if (seen.has(key)) throw new GitRefError(`query ${JSON.stringify(key)} has multiple values`);
    seen.set(key, value);
  }
  let tag = "";
  let branch = "";
  for (const [key, value] of seen) {
    if ((value === undefined || value === "") && key !== "submodules" && key !== "keep-git-dir") {
      throw new GitRefError(`query ${JSON.stringify(key)} has no value`);
    }
    const v = value ?? "";
    switch (key) {
      case "ref":
        if (ref.ref && ref.ref !== v) throw new GitRefError(`ref conflicts: ${JSON.stringify(ref.ref)} vs ${JSON.stringify(v)}`);
        ref.ref = v;
        break;
      case "tag":
        tag = v.startsWith("refs/tags/") ? v : `refs/tags/${v}`;
        break;
      case "branch":
        branch = v.startsWith("refs/heads/") ? v : `refs/heads/${v}`;
        break;
      case "subdir":
        if (ref.subdir && ref.subdir !== v) throw new GitRefError(`subdir conflicts: ${JSON.stringify(ref.subdir)} vs ${JSON.stringify(v)}`);
        ref.subdir = v;
        break;
      case "checksum":
      case "commit":
        ref.checksum = v;
        break;
      case "keep-git-dir":
        ref.keepGitDir = parseBoolValue(key, value);
        break;
      case "submodules":
        ref.submodules = parseBoolValue(key, value);
        break;
      default:
        throw new GitRefError(`unexpected query ${JSON.stringify(key)}`);
    }
  }
  if (tag) {
    if (ref.ref && ref.ref !== tag) throw new GitRefError(`ref conflicts: ${JSON.stringify(ref.ref)} vs ${JSON.stringify(tag)}`);
    ref.ref = tag;
  }
  if (branch) {
    if (tag) throw new GitRefError("branch conflicts with tag");
    if (ref.ref && ref.ref !== branch) throw new GitRefError(`ref conflicts: ${JSON.stringify(ref.ref)} vs ${JSON.stringify(branch)}`);
    ref.ref = branch;
  }
  if (ref.checksum && !ref.ref) ref.ref = ref.checksum;
}
