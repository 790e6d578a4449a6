/**
 * A git source from a parsed reference, the one way ADD, named contexts and a
 * git build context all turn a GitRef into LLB: the identifier is
 * `git://host/path[#ref[:subdir]]` whatever the transport, so https and ssh
 * URLs of the same repository share cache, and the URL git fetches from goes
 * in `git.fullurl`.
 */
import { parseGitRef, type GitRef } from "../input/git-ref.ts";
import { git, http } from "../llb/source.ts";
import { cleanPath } from "../llb/paths.ts";
import type { State } from "../llb/state.ts";
import type { Constraints } from "../llb/vertex.ts";
import type { Caps } from "../gateway/session.ts";
import { FEATURES, requireFeature } from "./engine-features.ts";

export interface GitSourceOptions {
  keepGitDir?: boolean;
  checksum?: string;
  constraints?: Constraints;
}

/** The git source; fails clearly when the engine lacks a git feature the reference asks for. */
export function gitSource(ref: GitRef, opts: GitSourceOptions, caps: Caps): State {
  requireFeature(caps, FEATURES.git);
  if (opts.keepGitDir) requireFeature(caps, FEATURES.gitKeepDir);
  if (opts.checksum) requireFeature(caps, FEATURES.gitChecksum);
  if (ref.submodules === false) requireFeature(caps, FEATURES.gitSkipSubmodules);
  // The subdirectory is cleaned the way the engine reads it: no leading "/", no "..".
  const subdir = ref.subdir === "" ? "" : cleanPath(`/${ref.subdir}`).slice(1);
  return git(ref.hostPath, ref.ref, subdir, {
    fullUrl: ref.remote,
    keepGitDir: opts.keepGitDir,
    checksum: opts.checksum || undefined,
    skipSubmodules: ref.submodules === false,
    mountSshSock: ref.scheme === "ssh" ? "default" : undefined,
    constraints: opts.constraints,
  });
}

export type RemoteSource = { kind: "git"; state: State } | { kind: "http"; state: State };

/**
 * A URL given as a context (named or the build's own): a git source named
 * `[internal] load git source <url>` when it is a git reference, else, for
 * http(s), the download as one file named `filename`; undefined for anything
 * else. A malformed git reference throws GitRefError.
 */
export function remoteSource(url: string, caps: Caps, opts: { keepGitDir?: boolean; filename: string; httpName: string }): RemoteSource | undefined {
  const parsed = parseGitRef(url);
  if (parsed.kind === "git") {
    const { ref } = parsed;
    const keepGitDir = ref.keepGitDir === true || opts.keepGitDir === true;
    return { kind: "git", state: gitSource(ref, { keepGitDir, checksum: ref.checksum, constraints: { customName: `[internal] load git source ${url}` } }, caps) };
  }
  if (!/^https?:\/\//.test(url)) return undefined;
  requireFeature(caps, FEATURES.http);
  return { kind: "http", state: http(url, { filename: opts.filename, constraints: { customName: opts.httpName } }) };
}
