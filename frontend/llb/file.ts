/**
 * File vertices: a chain of file actions (mkdir, mkfile, rm, symlink, copy)
 * applied in order to a base filesystem, executed by BuildKit without a
 * container. Input numbering follows the Go client: the first action reads
 * the base input, each later one reads the previous action's result
 * (`len(inputs) + actionIndex`); only the last action has an output.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { FileActionSchema, OpSchema } from "./proto.ts";
import { normalizePath, cleanPath } from "./paths.ts";
import type { State } from "./state.ts";
import { uniqueOutputs, type Constraints, type OpParts, type Output, type Vertex } from "./vertex.ts";

/** A user or group: a numeric id, or a name looked up in the destination's /etc files. */
export type UserRef = { readonly id: number } | { readonly name: string };

export interface Owner {
  readonly user?: UserRef;
  readonly group?: UserRef;
}

export interface CopyOptions {
  readonly owner?: Owner;
  /** Numeric mode (from an octal --chmod). */
  readonly mode?: number;
  /** Symbolic mode such as `u+x`, passed through to BuildKit. */
  readonly modeStr?: string;
  readonly followSymlinks?: boolean;
  readonly copyDirContentsOnly?: boolean;
  readonly attemptUnpack?: boolean;
  readonly createDestPath?: boolean;
  readonly allowWildcard?: boolean;
  readonly allowEmptyWildcard?: boolean;
  /** Unix nanoseconds for created files (SOURCE_DATE_EPOCH). */
  readonly timestamp?: bigint;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly alwaysReplaceExistingDestPaths?: boolean;
}

export type FileAction =
  | { readonly kind: "mkdir"; readonly path: string; readonly mode: number; readonly makeParents?: boolean; readonly owner?: Owner; readonly timestamp?: bigint }
  | { readonly kind: "mkfile"; readonly path: string; readonly mode: number; readonly data: Uint8Array; readonly owner?: Owner; readonly timestamp?: bigint }
  | { readonly kind: "rm"; readonly path: string; readonly allowNotFound?: boolean; readonly allowWildcard?: boolean }
  | { readonly kind: "symlink"; readonly oldpath: string; readonly newpath: string; readonly owner?: Owner; readonly timestamp?: bigint }
  | { readonly kind: "copy"; readonly from: State; readonly src: string; readonly dest: string; readonly opts: CopyOptions };

export const mkdir = (path: string, mode: number, opts: { makeParents?: boolean; owner?: Owner; timestamp?: bigint } = {}): FileAction => ({ kind: "mkdir", path, mode, ...opts });
export const mkfile = (path: string, mode: number, data: Uint8Array | string, opts: { owner?: Owner; timestamp?: bigint } = {}): FileAction => ({
  kind: "mkfile",
  path,
  mode,
  data: typeof data === "string" ? new TextEncoder().encode(data) : data,
  ...opts,
});
export const rm = (path: string, opts: { allowNotFound?: boolean; allowWildcard?: boolean } = {}): FileAction => ({ kind: "rm", path, ...opts });
export const symlink = (oldpath: string, newpath: string, opts: { owner?: Owner; timestamp?: bigint } = {}): FileAction => ({ kind: "symlink", oldpath, newpath, ...opts });
export const copy = (from: State, src: string, dest: string, opts: CopyOptions = {}): FileAction => ({ kind: "copy", from, src, dest, opts });

export class FileVertex implements Vertex {
  readonly inputs: readonly Output[];

  constructor(
    private readonly base: State,
    private readonly actions: readonly FileAction[],
    readonly constraints: Constraints,
  ) {
    if (actions.length === 0) throw new Error("a file op needs at least one action");
    const outs: Output[] = [];
    if (base.output) outs.push(base.output);
    for (const a of actions) if (a.kind === "copy" && a.from.output) outs.push(a.from.output);
    this.inputs = uniqueOutputs(outs);
  }

  toOp(inputIndex: (o: Output) => number): OpParts {
    const n = this.inputs.length;
    const baseIndex = this.base.output ? inputIndex(this.base.output) : -1;
    const dir = this.base.dir;
    const actions = this.actions.map((a, i) => {
      const init: MessageInitShape<typeof FileActionSchema> = {
        input: BigInt(i === 0 ? baseIndex : n + i - 1),
        secondaryInput: BigInt(a.kind === "copy" && a.from.output ? inputIndex(a.from.output) : -1),
        output: BigInt(i === this.actions.length - 1 ? 0 : -1),
      };
      switch (a.kind) {
        case "mkdir":
          init.action = {
            case: "mkdir",
            value: { path: normalizePath(dir, a.path, false), mode: a.mode & 0o7777, makeParents: !!a.makeParents, owner: owner(a.owner, baseIndex), timestamp: a.timestamp ?? -1n },
          };
          break;
        case "mkfile":
          init.action = {
            case: "mkfile",
            value: { path: normalizePath(dir, a.path, false), mode: a.mode, data: a.data, owner: owner(a.owner, baseIndex), timestamp: a.timestamp ?? -1n },
          };
          break;
        case "rm":
          init.action = { case: "rm", value: { path: normalizePath(dir, a.path, false), allowNotFound: !!a.allowNotFound, allowWildcard: !!a.allowWildcard } };
          break;
        case "symlink":
          init.action = {
            case: "symlink",
            value: { oldpath: a.oldpath, newpath: normalizePath(dir, a.newpath, false), owner: owner(a.owner, baseIndex), timestamp: a.timestamp ?? -1n },
          };
          break;
        case "copy": {
          const o = a.opts;
          init.action = {
            case: "copy",
            value: {
              src: sourcePath(a.from.dir, a.src),
              dest: normalizePath(dir, a.dest, true),
              owner: owner(o.owner, baseIndex),
              mode: o.mode ?? -1,
              followSymlink: !!o.followSymlinks,
              dirCopyContents: !!o.copyDirContentsOnly,
              attemptUnpackDockerCompatibility: !!o.attemptUnpack,
              createDestPath: !!o.createDestPath,
              allowWildcard: !!o.allowWildcard,
              allowEmptyWildcard: !!o.allowEmptyWildcard,
              timestamp: o.timestamp ?? -1n,
              includePatterns: [...(o.includePatterns ?? [])],
              excludePatterns: [...(o.excludePatterns ?? [])],
              alwaysReplaceExistingDestPaths: !!o.alwaysReplaceExistingDestPaths,
              modeStr: o.modeStr ?? "",
            },
          };
          break;
        }
      }
      return init;
    });
    return {
      // File ops are not platform specific: no platform, as in the Go client.
      op: create(OpSchema, { op: { case: "file", value: { actions } }, constraints: {} }),
    };
  }
}

/** Copy sources are cleaned and made absolute against the source state's dir (Go's path.Clean drops a trailing slash). */
function sourcePath(parent: string, src: string): string {
  const p = cleanPath(src);
  return p.startsWith("/") ? p : normalizePath(parent, p, false);
}

function owner(o: Owner | undefined, baseIndex: number): MessageInitShape<typeof import("./proto.ts").ChownOptSchema> | undefined {
  if (!o || (!o.user && !o.group)) return undefined;
  const side = (u: UserRef | undefined) => {
    if (!u) return undefined;
    if ("id" in u) return { user: { case: "byID" as const, value: u.id } };
    // Names resolve against the destination's /etc/passwd and /etc/group.
    return { user: { case: "byName" as const, value: { name: u.name, input: BigInt(baseIndex) } } };
  };
  return { user: side(o.user), group: side(o.group) };
}

/** Applies `actions` in order to `base`; the result keeps `base`'s process settings. */
export function file(base: State, actions: readonly FileAction[], constraints: Constraints = {}): State {
  return base.withOutput({ vertex: new FileVertex(base, actions, constraints), index: 0 });
}
