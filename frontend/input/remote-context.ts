/**
 * A build context that is not on the client: `docker buildx build
 * https://host/repo.git#ref:dir` or a URL. The client then sends the URL as
 * the `context` opt (or the opt `contextkey` names) instead of a local
 * directory, and the Dockerfile is read from the same source unless
 * `dockerfilekey` points at a local one, as in the official frontend:
 * - a git reference becomes a git source (`BUILDKIT_CONTEXT_KEEP_GIT_DIR`
 *   keeps `.git`);
 * - any other http(s) URL is downloaded as a file named `context`: an archive
 *   (tar, gzip, bzip2, xz) is unpacked to be the context, anything else *is*
 *   the Dockerfile.
 */
import type { Gateway } from "../gateway/session.ts";
import { copy, file } from "../llb/file.ts";
import { marshal } from "../llb/marshal.ts";
import { State } from "../llb/state.ts";
import { remoteSource } from "../convert/git-source.ts";

export interface RemoteContext {
  /** The build context. */
  context: State;
  /** Where the Dockerfile is read from (the context itself, or the downloaded file). */
  dockerfile: State;
  /** The Dockerfile's name when the download itself is the Dockerfile. */
  filename?: string;
}

const DOWNLOADED = "context";

export async function detectRemoteContext(gw: Gateway, opts: { keepGitDir: boolean }): Promise<RemoteContext | undefined> {
  const key = gw.env.opts.get("contextkey") || "context";
  const url = gw.env.opts.get(key) ?? "";
  if (url === "") return undefined;
  const source = remoteSource(url, gw.caps, {
    keepGitDir: opts.keepGitDir,
    filename: DOWNLOADED,
    httpName: "[internal] load remote build context",
  });
  if (!source) return undefined;
  if (source.kind === "git") {
    const st = scoped(gw, source.state);
    return { context: st, dockerfile: st };
  }
  const download = source.state;
  const ref = await gw.solve(marshal(download).definition);
  const head = await gw.readFile(ref, DOWNLOADED, { offset: 0, length: 1024 });
  if (isArchive(head)) {
    const unpacked = scoped(gw, file(State.scratch(), [copy(download, `/${DOWNLOADED}`, "/", { attemptUnpack: true })]));
    return { context: unpacked, dockerfile: unpacked };
  }
  return { context: download, dockerfile: download, filename: DOWNLOADED };
}

/** `contextsubdir`: only that directory of the context is the context. */
function scoped(gw: Gateway, st: State): State {
  const sub = gw.env.opts.get("contextsubdir");
  if (!sub) return st;
  return file(State.scratch(), [copy(st, sub, "/", { copyDirContentsOnly: true })], { customName: `[internal] scope context to ${sub}` });
}

/** bzip2, gzip, xz magic, or a tar header with a valid checksum. */
export function isArchive(head: Uint8Array): boolean {
  const starts = (m: number[]) => head.length >= m.length && m.every((b, i) => head[i] === b);
  if (starts([0x42, 0x5a, 0x68]) || starts([0x1f, 0x8b, 0x08]) || starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return true;
  if (head.length < 512) return false;
  const field = (from: number, len: number) => new TextDecoder().decode(head.subarray(from, from + len)).replace(/\0.*$/s, "").trim();
  const stored = parseInt(field(148, 8), 8);
  if (Number.isNaN(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  return sum === stored;
}
