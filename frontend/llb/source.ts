/**
 * Source vertices: where filesystems come from (images, the client's local
 * directories, HTTP and git). Attrs are plain strings; list-valued attrs are
 * JSON arrays, as BuildKit's source implementations expect.
 */
import { create } from "@bufbuild/protobuf";
import { OpSchema } from "./proto.ts";
import { State } from "./state.ts";
import { toPbPlatform } from "./pb-util.ts";
import { normalizePlatform, type Platform } from "./platform.ts";
import type { Constraints, OpParts, Output, Vertex } from "./vertex.ts";

export class SourceVertex implements Vertex {
  readonly inputs: readonly Output[] = [];
  constructor(
    readonly identifier: string,
    readonly attrs: Readonly<Record<string, string>>,
    readonly constraints: Constraints,
    /** Only image-like sources are platform specific. */
    readonly platform?: Platform,
  ) {}

  toOp(): OpParts {
    const attrs: Record<string, string> = {};
    for (const k of Object.keys(this.attrs).sort()) attrs[k] = this.attrs[k]!;
    return {
      op: create(OpSchema, {
        op: { case: "source", value: { identifier: this.identifier, attrs } },
        platform: this.platform ? toPbPlatform(this.platform) : undefined,
        constraints: {},
      }),
    };
  }
}

function sourceState(v: SourceVertex): State {
  return State.fromOutput({ vertex: v, index: 0 });
}

export type ImageResolveMode = "default" | "pull" | "local";

export interface ImageOptions {
  platform: Platform;
  resolveMode?: ImageResolveMode;
  /** `image.recordtype`, e.g. `internal` for images the user did not ask for. */
  recordType?: string;
  layerLimit?: number;
  constraints?: Constraints;
}

/** `docker-image://<ref>`; `ref` must already be fully qualified (with tag or digest). */
export function image(ref: string, opts: ImageOptions): State {
  const attrs: Record<string, string> = {};
  if (opts.resolveMode && opts.resolveMode !== "default") attrs["image.resolvemode"] = opts.resolveMode;
  if (opts.recordType) attrs["image.recordtype"] = opts.recordType;
  if (opts.layerLimit !== undefined) attrs["image.layerlimit"] = String(opts.layerLimit);
  const platform = normalizePlatform(opts.platform);
  return sourceState(new SourceVertex(`docker-image://${ref}`, attrs, opts.constraints ?? {}, platform)).withPlatform(platform);
}

export interface LocalOptions {
  sessionId?: string;
  includePatterns?: readonly string[];
  excludePatterns?: readonly string[];
  followPaths?: readonly string[];
  sharedKeyHint?: string;
  /** `none` skips content comparison; used for small definition files. */
  differ?: "none" | "metadata";
  constraints?: Constraints;
}

/** `local://<name>`: a directory synced from the client's session. */
export function local(name: string, opts: LocalOptions): State {
  const attrs: Record<string, string> = {};
  if (opts.sessionId) attrs["local.session"] = opts.sessionId;
  if (opts.includePatterns && opts.includePatterns.length > 0) attrs["local.includepattern"] = JSON.stringify(opts.includePatterns);
  if (opts.excludePatterns && opts.excludePatterns.length > 0) attrs["local.excludepatterns"] = JSON.stringify(opts.excludePatterns);
  if (opts.followPaths && opts.followPaths.length > 0) attrs["local.followpaths"] = JSON.stringify(opts.followPaths);
  if (opts.sharedKeyHint) attrs["local.sharedkeyhint"] = opts.sharedKeyHint;
  if (opts.differ) attrs["local.differ"] = opts.differ;
  return sourceState(new SourceVertex(`local://${name}`, attrs, opts.constraints ?? {}));
}

export interface HttpOptions {
  checksum?: string;
  filename?: string;
  /** File mode, written as an octal string with a leading 0. */
  perm?: number;
  uid?: number;
  gid?: number;
  constraints?: Constraints;
}

export function http(url: string, opts: HttpOptions = {}): State {
  const attrs: Record<string, string> = {};
  if (opts.checksum) attrs["http.checksum"] = opts.checksum;
  if (opts.filename) attrs["http.filename"] = opts.filename;
  if (opts.perm !== undefined) attrs["http.perm"] = `0${opts.perm.toString(8)}`;
  if (opts.uid !== undefined) attrs["http.uid"] = String(opts.uid);
  if (opts.gid !== undefined) attrs["http.gid"] = String(opts.gid);
  return sourceState(new SourceVertex(url, attrs, opts.constraints ?? {}));
}

export interface GitOptions {
  /** The remote URL as the user wrote it (`git.fullurl`). */
  fullUrl: string;
  keepGitDir?: boolean;
  checksum?: string;
  skipSubmodules?: boolean;
  authTokenSecret?: string;
  authHeaderSecret?: string;
  knownSshHosts?: string;
  mountSshSock?: string;
  constraints?: Constraints;
}

/** `git://<host>/<path>[#<ref>[:<subdir>]]`; `remote` is the URL without scheme. */
export function git(remote: string, ref: string, subdir: string, opts: GitOptions): State {
  let id = `git://${remote}`;
  if (ref || subdir) id += `#${ref}${subdir ? `:${subdir}` : ""}`;
  const attrs: Record<string, string> = { "git.fullurl": opts.fullUrl };
  attrs["git.authtokensecret"] = opts.authTokenSecret ?? "GIT_AUTH_TOKEN";
  attrs["git.authheadersecret"] = opts.authHeaderSecret ?? "GIT_AUTH_HEADER";
  if (opts.keepGitDir) attrs["git.keepgitdir"] = "true";
  if (opts.checksum) attrs["git.checksum"] = opts.checksum;
  if (opts.skipSubmodules) attrs["git.skipsubmodules"] = "true";
  if (opts.knownSshHosts) attrs["git.knownsshhosts"] = opts.knownSshHosts;
  if (opts.mountSshSock) attrs["git.mountsshsock"] = opts.mountSshSock;
  return sourceState(new SourceVertex(id, attrs, opts.constraints ?? {}));
}

export interface OciLayoutOptions {
  platform: Platform;
  sessionId: string;
  storeId: string;
  layerLimit?: number;
  constraints?: Constraints;
}

/** `oci-layout://<store>@<digest>`: an image from an OCI layout the client holds (`--build-context x=oci-layout://dir`). */
export function ociLayout(storeAndDigest: string, opts: OciLayoutOptions): State {
  const attrs: Record<string, string> = { "oci.session": opts.sessionId, "oci.store": opts.storeId };
  if (opts.layerLimit !== undefined) attrs["oci.layerlimit"] = String(opts.layerLimit);
  const platform = normalizePlatform(opts.platform);
  return sourceState(new SourceVertex(`oci-layout://${storeAndDigest}`, attrs, opts.constraints ?? {}, platform)).withPlatform(platform);
}
