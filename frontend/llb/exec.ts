/**
 * Exec vertices: run a process over a root filesystem and extra mounts.
 *
 * Mount order and output numbering follow BuildKit's Go client exactly
 * (mounts sorted by target; outputs numbered for writable, non-cache,
 * non-tmpfs mounts; secrets and ssh sockets appended), because both end up
 * in the op bytes and the exec cache key.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { CacheSharingOpt, MountContentCache, MountType, NetMode, OpSchema, SecurityMode as PbSecurityMode, type Mount as PbMount } from "./proto.ts";
import { NetworkMode, SecurityMode, State, type StateMeta } from "./state.ts";
import { toPbPlatform } from "./pb-util.ts";
import { uniqueOutputs, type Constraints, type OpParts, type Output, type Vertex } from "./vertex.ts";

export type CacheSharing = "shared" | "private" | "locked";

export type MountSpec =
  | {
      readonly kind: "bind";
      readonly target: string;
      readonly source: State;
      readonly selector?: string;
      readonly readonly?: boolean;
      /** A writable mount whose changes are thrown away. */
      readonly noOutput?: boolean;
      readonly contentCache?: "default" | "on" | "off";
    }
  | {
      readonly kind: "cache";
      readonly target: string;
      readonly id: string;
      readonly sharing: CacheSharing;
      /** Base for a new cache directory (BuildKit's `from=`); scratch when absent. */
      readonly source?: State;
      readonly selector?: string;
      readonly readonly?: boolean;
    }
  | { readonly kind: "tmpfs"; readonly target: string; readonly size?: bigint };

export interface SecretSpec {
  readonly id: string;
  /** Mounted as a file here, when set. */
  readonly target?: string;
  /** Exposed as this environment variable, when set. */
  readonly env?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly optional?: boolean;
}

export interface SshSpec {
  readonly id: string;
  readonly target: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly optional?: boolean;
}

export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly ftpProxy?: string;
  readonly noProxy?: string;
  readonly allProxy?: string;
}

export interface ExecOptions {
  readonly args: readonly string[];
  readonly mounts?: readonly MountSpec[];
  readonly secrets?: readonly SecretSpec[];
  readonly ssh?: readonly SshSpec[];
  readonly proxyEnv?: ProxyEnv;
  readonly validExitCodes?: readonly number[];
  /** CDI devices (`RUN --device`), by fully qualified name. */
  readonly devices?: readonly { name: string; optional: boolean }[];
  readonly readonlyRoot?: boolean;
  readonly constraints?: Constraints;
}

interface PlacedMount {
  readonly spec: MountSpec;
  readonly output: number; // -1 for none
}

export class ExecVertex implements Vertex {
  readonly inputs: readonly Output[];
  readonly constraints: Constraints;
  private readonly mounts: readonly PlacedMount[];

  constructor(
    private readonly meta: StateMeta,
    private readonly opts: ExecOptions,
    root: MountSpec,
  ) {
    this.constraints = opts.constraints ?? {};
    const all = [root, ...(opts.mounts ?? [])];
    // Stable sort by target; BuildKit sorts the same way before marshalling.
    const sorted = all.map((m, i) => [m, i] as const).sort(([a, i], [b, j]) => (a.target < b.target ? -1 : a.target > b.target ? 1 : i - j));
    let next = 0;
    this.mounts = sorted.map(([spec]) => ({ spec, output: hasOutput(spec) ? next++ : -1 }));
    this.inputs = uniqueOutputs(this.mounts.flatMap(({ spec }) => (spec.kind !== "tmpfs" && spec.source?.output ? [spec.source.output] : [])));
  }

  /** The output index of the mount at `target`, or undefined when it has none. */
  outputFor(target: string): number | undefined {
    const m = this.mounts.find((x) => x.spec.target === target);
    return m && m.output >= 0 ? m.output : undefined;
  }

  toOp(inputIndex: (o: Output) => number): OpParts {
    let env = this.meta.env;
    const ssh = (this.opts.ssh ?? []).map((s, i) => ({ ...s, target: s.target || `/run/buildkit/ssh_agent.${i}` }));
    if (ssh.length > 0 && !env.has("SSH_AUTH_SOCK")) env = env.set("SSH_AUTH_SOCK", ssh[0]!.target);
    const proxy = this.opts.proxyEnv;

    const mounts: PbMount[] = this.mounts.map(({ spec, output }) => {
      const source = spec.kind === "tmpfs" ? undefined : spec.source?.output;
      const m: MessageInitShape<typeof MountSchemaRef> = {
        input: source ? BigInt(inputIndex(source)) : -1n,
        selector: spec.kind === "tmpfs" ? "" : (spec.selector ?? ""),
        dest: spec.target,
        output: BigInt(output),
        readonly: spec.kind === "tmpfs" ? false : !!spec.readonly,
      };
      if (spec.kind === "cache") {
        m.mountType = MountType.CACHE;
        m.cacheOpt = { ID: spec.id, sharing: SHARING[spec.sharing] };
      } else if (spec.kind === "tmpfs") {
        m.mountType = MountType.TMPFS;
        m.TmpfsOpt = { size: spec.size ?? 0n };
      } else if (spec.contentCache && spec.contentCache !== "default") {
        m.contentCache = spec.contentCache === "on" ? MountContentCache.ON : MountContentCache.OFF;
      }
      return create(MountSchemaRef, m);
    });
    for (const s of this.opts.secrets ?? []) {
      if (s.target === undefined) continue;
      mounts.push(
        create(MountSchemaRef, {
          input: -1n,
          dest: s.target,
          output: -1n,
          mountType: MountType.SECRET,
          secretOpt: { ID: s.id, uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? 0o400, optional: !!s.optional },
        }),
      );
    }
    for (const s of ssh) {
      mounts.push(
        create(MountSchemaRef, {
          input: -1n,
          dest: s.target,
          output: -1n,
          mountType: MountType.SSH,
          SSHOpt: { ID: s.id, uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? 0o600, optional: !!s.optional },
        }),
      );
    }

    const op = create(OpSchema, {
      op: {
        case: "exec",
        value: {
          meta: {
            args: [...this.opts.args],
            env: env.toStrings(),
            cwd: this.meta.dir,
            user: this.meta.user,
            proxyEnv: proxy
              ? {
                  httpProxy: proxy.httpProxy ?? "",
                  httpsProxy: proxy.httpsProxy ?? "",
                  ftpProxy: proxy.ftpProxy ?? "",
                  noProxy: proxy.noProxy ?? "",
                  allProxy: proxy.allProxy ?? "",
                }
              : undefined,
            extraHosts: this.meta.extraHosts.map((h) => ({ Host: h.host, IP: h.ip })),
            hostname: this.meta.hostname,
            ulimit: this.meta.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
            cgroupParent: this.meta.cgroupParent,
            removeMountStubsRecursive: true,
            validExitCodes: this.opts.validExitCodes ? [...this.opts.validExitCodes] : [],
          },
          mounts,
          network: NETWORK[this.meta.network],
          security: SECURITY[this.meta.security],
          secretenv: (this.opts.secrets ?? [])
            .filter((s) => s.env !== undefined)
            .map((s) => ({ ID: s.id, name: s.env!, optional: !!s.optional })),
          cdiDevices: (this.opts.devices ?? []).map((d) => ({ name: d.name, optional: d.optional })),
        },
      },
      platform: this.meta.platform ? toPbPlatform(this.meta.platform) : undefined,
      constraints: {},
    });
    return { op };
  }
}

import { MountSchema as MountSchemaRef } from "./proto.ts";

const NETWORK: Record<NetworkMode, NetMode> = {
  [NetworkMode.Sandbox]: NetMode.UNSET,
  [NetworkMode.Host]: NetMode.HOST,
  [NetworkMode.None]: NetMode.NONE,
};

const SECURITY: Record<SecurityMode, PbSecurityMode> = {
  [SecurityMode.Sandbox]: PbSecurityMode.SANDBOX,
  [SecurityMode.Insecure]: PbSecurityMode.INSECURE,
};

const SHARING: Record<CacheSharing, CacheSharingOpt> = {
  shared: CacheSharingOpt.SHARED,
  private: CacheSharingOpt.PRIVATE,
  locked: CacheSharingOpt.LOCKED,
};

function hasOutput(m: MountSpec): boolean {
  return m.kind === "bind" && !m.readonly && !m.noOutput;
}

/** The result of running a process: the new root and any writable mounts. */
export class ExecResult {
  constructor(
    private readonly base: State,
    readonly vertex: ExecVertex,
  ) {}

  /** The root filesystem after the run, keeping the process settings of the base. */
  root(): State {
    return this.mountState("/", this.base);
  }

  /** The contents of the writable bind mount at `target` after the run. */
  mount(target: string, like: State): State {
    return this.mountState(target, like);
  }

  private mountState(target: string, like: State): State {
    const index = this.vertex.outputFor(target);
    if (index === undefined) throw new Error(`exec has no output for mount ${target}`);
    return like.withOutput({ vertex: this.vertex, index });
  }
}

/** Runs `opts.args` over `base` as the root filesystem. */
export function run(base: State, opts: ExecOptions): ExecResult {
  const root: MountSpec = { kind: "bind", target: "/", source: base, readonly: !!opts.readonlyRoot };
  return new ExecResult(base, new ExecVertex(base.meta, opts, root));
}
